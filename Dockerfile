FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ontology ontology
COPY loaders loaders
COPY graph graph
COPY api api
COPY browser browser
COPY data data
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["pharmakg", "serve", "--host", "0.0.0.0", "--port", "8000"]
