package io.jgnet.bench.harness;

import static io.jgnet.bench.harness.Feed.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespProtocolTest {

    @Test
    void mixCyclesPingSetAndGetOfTheSameKey() {
        List<RespProtocol.Step> script = RespProtocol.script(RespProtocol.Command.MIX, 7);
        assertThat(script).hasSize(3 * RespProtocol.KEYS_PER_CONNECTION);
        assertThat(script.get(0).request()).isEqualTo(ascii("*1\r\n$4\r\nPING\r\n"));
        assertThat(script.get(4).request())
                .isEqualTo(ascii("*3\r\n$3\r\nSET\r\n$7\r\nkey:7:1\r\n$9\r\nvalue:7:1\r\n"));
        assertThat(script.get(5).request()).isEqualTo(ascii("*2\r\n$3\r\nGET\r\n$7\r\nkey:7:1\r\n"));
        assertThat(script.get(3).replies()).containsExactly(ascii("+PONG\r\n"));
        assertThat(script.get(4).replies()).containsExactly(ascii("+OK\r\n"));
        assertThat(script.get(5).replies()).containsExactly(ascii("$9\r\nvalue:7:1\r\n"));
    }

    @Test
    void getAlsoAcceptsTheNullOfAKeyNeverSet() {
        RespProtocol.Step get = RespProtocol.script(RespProtocol.Command.GET, 0).get(2);
        assertThat(get.replies()).containsExactly(ascii("$9\r\nvalue:0:2\r\n"), ascii("$-1\r\n"));
    }

    @Test
    void batchesFollowTheScriptAndRepeatWithIt() {
        for (RespProtocol.Command command : RespProtocol.Command.values()) {
            List<RespProtocol.Step> script = RespProtocol.script(command, 2);
            for (int pipeline = 1; pipeline <= 30; pipeline++) {
                ByteBuffer[] batches = RespProtocol.batches(script, pipeline);
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                ByteArrayOutputStream scripted = new ByteArrayOutputStream();
                for (ByteBuffer batch : batches) {
                    byte[] bytes = new byte[batch.remaining()];
                    batch.duplicate().get(bytes);
                    sent.writeBytes(bytes);
                }
                for (int i = 0; i < batches.length * pipeline; i++) {
                    scripted.writeBytes(script.get(i % script.size()).request());
                }
                assertThat(sent.toByteArray()).as("%s pipeline %d", command, pipeline).isEqualTo(scripted.toByteArray());
                // The batches end where the script does, so batch 0 follows the last one.
                assertThat(batches.length * pipeline % script.size()).isZero();
            }
        }
    }

    @Test
    void conversationAcceptsTheScriptedRepliesAcrossBatches() throws Exception {
        LoadProtocol.Conversation conversation = new RespProtocol(5, RespProtocol.Command.MIX).open(4);
        List<RespProtocol.Step> script = RespProtocol.script(RespProtocol.Command.MIX, 4);
        for (int batch = 0; batch < 10; batch++) {
            ByteArrayOutputStream replies = new ByteArrayOutputStream();
            for (int j = 0; j < 5; j++) {
                replies.writeBytes(script.get((batch * 5 + j) % script.size()).replies().getFirst());
            }
            conversation.nextBatch();
            assertThat(conversation.consume(ByteBuffer.wrap(replies.toByteArray()))).isEqualTo(5);
        }
        assertThat(conversation.mismatches()).isZero();
    }

    @Test
    void commandNamesAreTheLowerCaseOnes() {
        assertThat(RespProtocol.Command.parse("mix")).isEqualTo(RespProtocol.Command.MIX);
        assertThatThrownBy(() -> RespProtocol.Command.parse("MIX")).hasMessageContaining("ping, set, get or mix");
    }
}
