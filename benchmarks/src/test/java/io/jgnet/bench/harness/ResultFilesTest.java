package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

    @Test
    void everyFileIsWrittenAndTheCsvHasOneRowPerRun(@TempDir Path dir) throws Exception {
        MatrixResults r = Fixtures.typical();
        List<Path> written = ResultFiles.write(dir, r, Map.of("profile", "short"), Map.of("cpu", "x"), List.of("cmd"), "note");
        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactlyElementsOf(ResultFiles.NAMES);
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv).hasSize(1 + r.runs().size());
        int columns = csv.getFirst().split(",").length;
        assertThat(csv.get(1).split(",", -1)).hasSize(columns);
        assertThat(csv).anySatisfy(l -> assertThat(l).startsWith("echo-64,netty-io_uring,Netty,1,UNAVAILABLE,"));
        // The failure note's lines are joined, so the run stays one row.
        assertThat(csv).anySatisfy(l -> assertThat(l).startsWith("echo-64,jgnet-nio,jgnet,2,FAILED,")
                .endsWith(",server jgnet-nio (pid 1): ended before READY line | its last output: | Caused by: boom"));
        assertThat(Files.readString(dir.resolve("summary.txt"))).isEqualTo(SummaryTable.render(r));
    }

    @Test
    void theJsonHoldsConfigEnvironmentRunsAndSummariesWithNullForMissingFigures() {
        String json = ResultFiles.json(Fixtures.typical(), Map.of("profile", "short"), Map.of("jvm", "25"));
        assertThat(json).contains("\"config\": {\n    \"profile\": \"short\"\n  }", "\"environment\": {\n    \"jvm\": \"25\"",
                "\"unavailable\": {\n    \"netty-io_uring\": \"io_uring: kernel says ENOSYS\"",
                "\"kind\": \"jgnet-epoll\", \"family\": \"jgnet\", \"completed\": 3",
                "\"x_netty_best\": {\"req_per_sec\": 1.1000", "\"idle_bytes_per_conn\": null",
                "\"failures\": [\n    \"echo-64 jgnet-nio round 2: server jgnet-nio");
        assertThat(json).doesNotContain("NaN", "Infinity");
        // Balanced, as a cheap well-formedness check without a JSON library.
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void csvCellsAreQuotedOnlyWhenTheyMustBe() {
        assertThat(ResultFiles.csvCell("plain")).isEqualTo("plain");
        assertThat(ResultFiles.csvCell("a,b")).isEqualTo("\"a,b\"");
        assertThat(ResultFiles.csvCell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }
}
