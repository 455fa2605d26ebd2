package io.jgnet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The rule for a missing peer tool: skip on a developer's machine, fail under CI=true. */
class PeerToolsTest {
    @TempDir
    Path bin;

    @Test
    void aToolOnThePathIsFound() throws Exception {
        Path tool = Files.createFile(bin.resolve("peer-tool"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(PeerTools.require("peer-tool", "some-package", Map.of("PATH", "/nonexistent:" + bin)))
                .isEqualTo(tool);
    }

    @Test
    void aMissingToolSkipsTheTestWithAMessageNamingThePackage() {
        assertThatThrownBy(() -> PeerTools.require("peer-tool", "some-package", Map.of("PATH", bin.toString())))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("peer-tool")
                .hasMessageContaining("some-package");
    }

    @Test
    void aMissingToolFailsTheTestUnderCi() {
        assertThatThrownBy(() -> PeerTools.require("peer-tool", "some-package",
                Map.of("PATH", bin.toString(), "CI", "true")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("some-package")
                .hasMessageContaining("CI=true");
    }
}
