"""Domain errors of the graph layer: one root, driver errors wrapped with ``from``."""


class GraphError(Exception):
    """Root of every error raised by ``graph/``."""


class ServerError(GraphError):
    """The local Neo4j server could not be fetched, started or stopped."""


class GraphUnavailableError(GraphError):
    """Neo4j did not answer (down, restarting or unreachable)."""


class WriteError(GraphError):
    """A batch could not be written; ``position`` says how far the load got."""

    def __init__(self, message: str, *, position: int) -> None:
        super().__init__(message)
        self.position = position
