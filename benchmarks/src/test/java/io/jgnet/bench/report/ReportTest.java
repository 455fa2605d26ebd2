package io.jgnet.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.bench.matrix.Fixtures;
import io.jgnet.bench.matrix.MatrixResults;
import io.jgnet.bench.matrix.Run;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The tables and files of a synthetic matrix: what they show, and that they are well formed. */
public class ReportTest {

    private final MatrixResults results = Fixtures.typical();

    /** Parses XML (the report is well-formed XML as well as HTML), failing on any error. */
    public static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachTableStatesItsBaseAndShowsEachRatioWithItsSpread() {
        String text = Tables.render(results);
        assertThat(text).contains("echo-64  100 conns  64 B  echo\n  x base = median / Netty's best transport, idiomatic echo"
                + " handler (write per read, flush per batch) (req/s: netty-epoll, CPU us: netty-epoll)\n");
        // jgnet-epoll: 110,000 req/s is 1.10 of netty-epoll in every round; CPU 9 us is 0.75 (0.73 and 0.77 by round).
        assertThat(text.lines().filter(l -> l.startsWith("jgnet-epoll ")).findFirst().orElseThrow())
                .matches("jgnet-epoll +110000 +1\\.10 +9\\.00 +0\\.75 0\\.73-0\\.77 +2\\.25 +6\\.75 .*1 of 3 runs failed:"
                        + " server jgnet-epoll \\(pid 1\\): ended before ready line \\| Caused by: boom");
        assertThat(text).contains("netty-io_uring   unavailable: io_uring: kernel says ENOSYS");
        assertThat(text).contains("http-p16  100 conns  pipeline 16  GET /plaintext\n  x base = median / Netty's best"
                + " transport, minimal responder");
        assertThat(text.lines().filter(l -> l.startsWith("jgnet-epoll ")).toList().get(2)).matches("jgnet-epoll +1000 +1000 +0\\.40 *");
    }

    @Test
    void aRunRowShowsItsFiguresAndCoresOrWhyItHasNone() {
        Run run = results.runs().stream().filter(r -> r.kind().equals("netty-epoll") && r.window() != null).findFirst().orElseThrow();
        assertThat(Tables.runRow(run)).matches("echo-64 +1 +netty-epoll +100000 +11\\.00 +2\\.75 +8\\.25 +100\\.0 +200\\.0"
                + " +20\\.0 +1\\.10 +1\\.00 +0\\.00");
        assertThat(Tables.runRow(results.runs().getFirst())).endsWith("unavailable: io_uring: kernel says ENOSYS");
        assertThat(Tables.runRow(results.failures().getFirst())).contains("FAILED: server jgnet-epoll (pid 1)")
                .endsWith("| Caused by: boom");
    }

    @Test
    void theFilesHoldEveryRunAndEverySummaryAndTheReportAndChartAreWellFormed(@TempDir Path dir) throws Exception {
        List<Path> files = ResultFiles.write(dir, results, Map.of("rounds", "3 <&>"), Map.of("cpu", "Test \"CPU\""), "a note");
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("summary.txt", "results.csv",
                "results.json", "report.html", "chart.svg");
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv).hasSize(1 + results.runs().size());
        assertThat(csv.getFirst()).startsWith("workload,kind,round,status,req_per_sec,cpu_us");
        assertThat(csv).anySatisfy(l -> assertThat(l).startsWith("echo-64,jgnet-epoll,2,FAILED,,").endsWith(
                ",server jgnet-epoll (pid 1): ended before ready line | its last output: | Caused by: boom"));
        String json = Files.readString(dir.resolve("results.json"));
        assertThat(json).contains("\"cpu\": \"Test \\\"CPU\\\"\"", "\"x_base_low\": {", "\"alloc_bytes\": null",
                "\"family\": \"reference\"");
        String html = Files.readString(dir.resolve("report.html"));
        Document page = parse(html);
        assertThat(page.getElementsByTagName("svg").getLength()).isEqualTo(1);
        assertThat(page.getDocumentElement().getTextContent()).contains("3 <&>", "minimal responder", "0.75 0.73-0.77",
                "unavailable: io_uring");
        Document chart = parse(Files.readString(dir.resolve("chart.svg")));
        assertThat(chart.getDocumentElement().getTextContent()).contains("echo-64", "http-p16", "idle", "0.75\u00d7",
                "0.40\u00d7", "a note");
    }

    @Test
    void textIsEscapedSoNoNameOrReasonCanBreakADocument() throws Exception {
        String svg = Charts.summary(results, "<b>&'\"\u0001");
        assertThat(parse(svg).getDocumentElement().getTextContent()).contains("<b>&'\"?");
    }
}
