import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.riot.RDFLanguages;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.riot.system.ErrorHandler;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;

/**
 * Apache Jena (riot and ARQ) on PharmaKG's exports, one JVM for many commands.
 *
 * Reads commands from standard input, one a line, fields separated by tabs:
 *   parse  DATA REPORT         strict riot parse (language from the extension, IRIs and
 *                              literals checked); REPORT gets "quads N" then every warning
 *                              and error, one a line
 *   query  DATA QUERY RESULT   the SPARQL query (standard SPARQL 1.2 syntax: no ARQ
 *                              extensions) on the data with ARQ, results as SPARQL JSON
 *                              into RESULT
 *   union  DATA QUERY RESULT   the same with the union of the named graphs as default graph
 * Exits 1 if a command failed (its message on standard error), 0 otherwise.
 */
public class JenaCheck {
    private static final Map<String, DatasetGraph> LOADED = new HashMap<>();

    /** Counts what the parser says instead of logging it; a fatal error still stops it. */
    static final class Collect implements ErrorHandler {
        final List<String> said = new ArrayList<>();

        @Override public void warning(String message, long line, long col) {
            said.add("warning " + line + ":" + col + " " + message);
        }

        @Override public void error(String message, long line, long col) {
            said.add("error " + line + ":" + col + " " + message);
        }

        @Override public void fatal(String message, long line, long col) {
            said.add("fatal " + line + ":" + col + " " + message);
            throw new RiotException(message);
        }
    }

    static RDFParser parser(String data, ErrorHandler handler) {
        return RDFParser.source(data).lang(RDFLanguages.filenameToLang(data))
                .strict(true).checking(true).errorHandler(handler).build();
    }

    static void parse(String data, String report) throws Exception {
        Collect said = new Collect();
        DatasetGraph dsg = DatasetGraphFactory.createTxnMem();
        try {
            parser(data, said).parse(dsg);
        } catch (RiotException e) {
            // already recorded as fatal
        }
        StringBuilder out = new StringBuilder("quads " + dsg.stream().count() + "\n");
        for (String line : said.said) {
            out.append(line.replace('\n', ' ')).append('\n');
        }
        Files.writeString(Path.of(report), out.toString(), StandardCharsets.UTF_8);
    }

    static DatasetGraph load(String data) {
        return LOADED.computeIfAbsent(data, d -> {
            DatasetGraph dsg = DatasetGraphFactory.createTxnMem();
            RDFParser.source(d).lang(RDFLanguages.filenameToLang(d)).parse(dsg);
            return dsg;
        });
    }

    static void query(String data, String queryFile, String result, boolean union)
            throws Exception {
        DatasetGraph dsg = load(data);
        Dataset dataset = union ? DatasetFactory.wrap(DatasetGraphFactory.wrap(dsg.getUnionGraph()))
                                : DatasetFactory.wrap(dsg);
        Query query = QueryFactory.create(Files.readString(Path.of(queryFile)), Syntax.syntaxSPARQL_12);
        try (QueryExecution exec = QueryExecution.dataset(dataset).query(query).build();
             OutputStream out = Files.newOutputStream(Path.of(result))) {
            ResultSetFormatter.outputAsJSON(out, exec.execSelect());
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int failed = 0;
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            try {
                switch (f[0]) {
                    case "parse" -> parse(f[1], f[2]);
                    case "query" -> query(f[1], f[2], f[3], false);
                    case "union" -> query(f[1], f[2], f[3], true);
                    default -> throw new IllegalArgumentException("unknown command " + f[0]);
                }
            } catch (Exception e) {
                failed++;
                System.err.println(line + ": " + e);
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
