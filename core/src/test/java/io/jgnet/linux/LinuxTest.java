package io.jgnet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The availability probe and the reasons it gives. */
class LinuxTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"})
    void availableOnLinuxWhenTestsRunWithNativeAccess() {
        // The build runs tests with --enable-native-access=ALL-UNNAMED.
        assertThat(Linux.class.getModule().isNativeAccessEnabled()).isTrue();
        assertThat(Linux.unavailableReason()).isNull();
        assertThat(Linux.isAvailable()).isTrue();
    }

    @Test
    void otherOperatingSystemsAreRefusedByName() {
        assertThat(Linux.platformReason("Mac OS X", "aarch64", true, null))
                .isEqualTo("os.name is Mac OS X, not Linux");
    }

    @Test
    void otherArchitecturesAreRefusedByName() {
        assertThat(Linux.platformReason("Linux", "riscv64", true, null))
                .isEqualTo("os.arch riscv64 is not supported (x86-64 and aarch64 are)");
    }

    @Test
    void missingNativeAccessNamesTheFlagThatGrantsIt() {
        assertThat(Linux.platformReason("Linux", "amd64", false, null)).isEqualTo(
                "native access is not enabled for the unnamed module"
                        + " (run java with --enable-native-access=ALL-UNNAMED)");
        assertThat(Linux.platformReason("Linux", "aarch64", false, "io.jgnet")).isEqualTo(
                "native access is not enabled for module io.jgnet"
                        + " (run java with --enable-native-access=io.jgnet)");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void everyBoundSymbolIsInLibc() {
        assertThat(Linux.SYMBOLS).allSatisfy(name -> assertThat(Libc.hasSymbol(name)).isTrue());
        assertThat(Libc.hasSymbol("no_such_function_in_libc")).isFalse();
    }
}
