package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EchoProtocolTest {

    private static byte[] bytes(ByteBuffer batch) {
        byte[] bytes = new byte[batch.remaining()];
        batch.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void batchHoldsPipelineRequestsOfSizeBytesDistinctPerConnection() {
        EchoProtocol protocol = new EchoProtocol(4, 64);
        byte[] first = bytes(protocol.open(0).nextBatch());
        byte[] second = bytes(protocol.open(1).nextBatch());
        assertThat(first).hasSize(4 * 64);
        assertThat(second).hasSize(4 * 64).isNotEqualTo(first);
    }

    @Test
    void countsEachEchoedRequestWhereverTheEchoIsCut() throws Exception {
        LoadProtocol.Conversation probe = new EchoProtocol(3, 5).open(0);
        byte[] twoBatches = Feed.concat(bytes(probe.nextBatch()), bytes(probe.nextBatch()));
        for (int first = 0; first <= twoBatches.length; first++) {
            for (int second = first; second <= twoBatches.length; second++) {
                LoadProtocol.Conversation conversation = new EchoProtocol(3, 5).open(0);
                assertThat(Feed.inPieces(conversation::consume, twoBatches, first, second)).isEqualTo(6);
                assertThat(conversation.mismatches()).isZero();
            }
        }
    }

    @Test
    void countsEveryChangedByteAsAMismatchOfItsRequestOnly() throws Exception {
        LoadProtocol.Conversation probe = new EchoProtocol(4, 16).open(3);
        byte[] batch = bytes(probe.nextBatch());
        SplittableRandom random = new SplittableRandom(5);
        for (int at = 0; at < batch.length; at++) {
            byte[] corrupted = batch.clone();
            corrupted[at] ^= (byte) random.nextInt(1, 256);
            LoadProtocol.Conversation conversation = new EchoProtocol(4, 16).open(3);
            assertThat(Feed.inPieces(conversation::consume, Feed.concat(corrupted, batch),
                    Feed.randomCuts(random, 2 * batch.length, 20))).isEqualTo(8);
            assertThat(conversation.mismatches()).as("byte %d changed", at).isEqualTo(1);
        }
    }

    @Test
    void anotherConnectionsEchoIsAMismatch() throws Exception {
        byte[] other = bytes(new EchoProtocol(2, 8).open(1).nextBatch());
        LoadProtocol.Conversation conversation = new EchoProtocol(2, 8).open(0);
        assertThat(conversation.consume(ByteBuffer.wrap(other))).isEqualTo(2);
        assertThat(conversation.mismatches()).isEqualTo(2);
    }
}
