package io.jgnet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding a FileChannel's descriptor: the right one whether the descriptor found last is tried
 * first and fits, belongs to another open file now, or is closed; the channel's position is kept.
 */
@EnabledOnOs(OS.LINUX)
class FileChannelDescriptorTest {
    @TempDir
    Path dir;

    private final CallState state = new CallState();

    @Test
    void findsTheChannelsDescriptorAndKeepsItsPosition() throws IOException {
        Path a = file("a");
        try (FileChannel channel = FileChannel.open(a, StandardOpenOption.READ)) {
            channel.position(3);
            int fd = FileChannelDescriptor.find(channel, state);
            assertThat(target(fd)).isEqualTo(a.toRealPath());
            assertThat(channel.position()).isEqualTo(3);
        }
    }

    @Test
    void aReusedNumberIsFoundAgainAndAStaleOneIsNotTaken() throws IOException {
        Path a = file("a");
        Path b = file("b");
        Path c = file("c");
        int first;
        try (FileChannel channel = FileChannel.open(a, StandardOpenOption.READ)) {
            first = FileChannelDescriptor.find(channel, state);
        }
        // Closed, so the kernel hands the same number to the next open: the first guess fits.
        try (FileChannel channel = FileChannel.open(b, StandardOpenOption.READ)) {
            int fd = FileChannelDescriptor.find(channel, state);
            assertThat(target(fd)).isEqualTo(b.toRealPath());
            // Now the number last found belongs to b, still open: c's search must not take it.
            try (FileChannel other = FileChannel.open(c, StandardOpenOption.READ)) {
                int otherFd = FileChannelDescriptor.find(other, state);
                assertThat(otherFd).isNotEqualTo(fd);
                assertThat(target(otherFd)).isEqualTo(c.toRealPath());
            }
        }
        assertThat(first).isNotNegative();
    }

    @Test
    void aClosedLastDescriptorFallsBackToTheSearch() throws IOException {
        Path a = file("a");
        Path b = file("b");
        try (FileChannel keep = FileChannel.open(a, StandardOpenOption.READ)) {
            int kept = FileChannelDescriptor.find(keep, state);
            FileChannel gone = FileChannel.open(b, StandardOpenOption.READ);
            FileChannelDescriptor.find(gone, state);
            gone.close(); // the number found last is closed now
            int again = FileChannelDescriptor.find(keep, state);
            assertThat(again).isEqualTo(kept);
            assertThat(target(again)).isEqualTo(a.toRealPath());
        }
    }

    private Path file(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }

    private static Path target(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd)));
    }
}
