package io.spikering.core.lmu;

import io.spikering.core.engine.Simulator;
import io.spikering.core.stream.OutputWire;
import io.spikering.core.stream.Queues;
import io.spikering.core.stream.SampleWire;
import io.spikering.core.stream.StreamFeeder;
import io.spikering.core.stream.StreamRunner;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** psMNIST-format classifier files in {@code stream run}: per-sequence reset, logits per step equal the engine's. */
class StreamClassifierTest
{
    @TempDir
    Path tmp;

    @Test
    void streamedSequencesGiveTheLogitsOfRunningEachSampleFromAReset() throws IOException
    {
        final Path model = tmp.resolve("tiny.safetensors");
        TinyLmu.file(2.0, 11).write(model);
        final Random rnd = new Random(5);
        final List<float[]> samples = new ArrayList<>();
        try (StreamFeeder f = new StreamFeeder(tmp.resolve("in"), 0))
        {
            for (int s = 0; s < 5; s++)
            {
                final float[] px = TinyLmu.pixels(rnd, TinyLmu.STEPS);
                samples.add(px);
                for (int t = 0; t < TinyLmu.STEPS; t++)
                {
                    int flags = t == 0 ? SampleWire.FLAG_SEQUENCE_START : 0;
                    flags |= t == TinyLmu.STEPS - 1 ? SampleWire.FLAG_SEQUENCE_END : 0;
                    flags |= s == 4 && t == TinyLmu.STEPS - 1 ? SampleWire.FLAG_END_OF_STREAM : 0;
                    f.append(flags, s % 2, new float[] {px[t]}, 1);
                }
            }
        }
        for (final String mode : new String[] {"recurrence", "fused"})
        {
            final Path out = tmp.resolve("out-" + mode);
            StreamRunner.run(new StreamRunner.Options(model, tmp.resolve("in"), out, tmp.resolve("snap-" + mode), 0,
                StreamRunner.Idle.BACKOFF, StreamRunner.OnBad.STOP, 7, -1, 0,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), mode, 0));
            final List<float[]> logits = lastOfEachSequence(out);
            assertEquals(5, logits.size());
            int correct = 0;
            for (int s = 0; s < 5; s++)
            {
                correct += (logits.get(s)[1] > logits.get(s)[0] ? 1 : 0) == s % 2 ? 1 : 0;
            }
            final io.spikering.core.stream.StreamAccuracy.Result accuracy = io.spikering.core.stream.StreamAccuracy.of(tmp.resolve("in"), out);
            assertEquals(5, accuracy.sequences());
            assertEquals(correct, accuracy.correct());
            final LmuFile lmu = LmuFile.load(model);
            final LmuModelNetwork net = LmuModelNetwork.build(lmu, true, Double.NaN, LmuModelNetwork.MemoryMode.parse(mode));
            try (Simulator sim = new Simulator(net.network()))
            {
                for (int s = 0; s < 5; s++)
                {
                    sim.reset();
                    for (int t = 0; t < TinyLmu.STEPS; t++)
                    {
                        final double[] in = {samples.get(s)[t]};
                        sim.setInput(net.pixel(), in);
                        sim.setInput(net.pixelDirect(), in);
                        sim.step();
                    }
                    final double[] expected = sim.outputs(net.readout());
                    final float[] e = new float[expected.length];
                    for (int k = 0; k < e.length; k++)
                    {
                        e[k] = (float)expected[k];
                    }
                    assertArrayEquals(e, logits.get(s), mode + " sample " + s);
                }
            }
        }
    }

    private static List<float[]> lastOfEachSequence(final Path dir) throws IOException
    {
        final List<float[]> list = new ArrayList<>();
        try (ChronicleQueue q = Queues.openExisting(dir, "output"); ExcerptTailer t = q.createTailer())
        {
            final OutputWire.Output o = new OutputWire.Output();
            while (true)
            {
                try (DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return list;
                    }
                    OutputWire.read(dc.wire().bytes(), o);
                    if ((o.flags & SampleWire.FLAG_SEQUENCE_END) != 0)
                    {
                        list.add(java.util.Arrays.copyOf(o.values, o.length));
                    }
                }
            }
        }
    }
}
