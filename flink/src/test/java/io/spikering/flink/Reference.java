package io.spikering.flink;

import io.spikering.core.stream.StreamFeeder;
import io.spikering.core.stream.StreamModel;
import io.spikering.core.stream.StreamReader;
import io.spikering.core.stream.StreamRunner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reference outputs of one key's records, in the job's output line format. */
final class Reference
{
    private Reference()
    {
    }

    /**
     * Through {@code stream run} itself: the key's samples go into a Chronicle input queue (a malformed record as a NaN
     * sample, which {@code --on-bad-sample skip} skips), {@link StreamRunner} runs the model, and {@code stream read}'s
     * CSV of the output queue gives the rows.
     */
    static List<String> streamRun(final Path model, final String key, final List<Sample> samples, final Path dir, final int autonomousAfter)
        throws IOException
    {
        try (StreamFeeder feeder = new StreamFeeder(dir.resolve("in"), 0))
        {
            feeder.feed(new StreamFeeder.Source()
            {
                private int i;

                public int width()
                {
                    return 1;
                }

                public int next(final float[] v)
                {
                    if (i == samples.size())
                    {
                        return -1;
                    }
                    final Sample s = samples.get(i++);
                    v[0] = s.error != null ? Float.NaN : s.value;
                    return s.error != null ? 0 : s.flags;
                }
            }, -1, 0, true);
        }
        StreamRunner.run(new StreamRunner.Options(model, dir.resolve("in"), dir.resolve("out"), dir.resolve("snap"), 0, StreamRunner.Idle.BACKOFF,
            StreamRunner.OnBad.SKIP, 0, autonomousAfter, 0, null));
        final ByteArrayOutputStream csv = new ByteArrayOutputStream();
        StreamReader.toCsv(dir.resolve("out"), new PrintStream(csv, true, StandardCharsets.UTF_8));
        final List<String> lines = new ArrayList<>();
        for (final String row : csv.toString(StandardCharsets.UTF_8).split("\n"))
        {
            if (row.isEmpty() || row.startsWith("input,"))
            {
                continue;
            }
            // input,status,stream,sequence,timestamp_ns,flags,synops,row_adds,macs,values... -> key,input,status,synops,...
            final String[] c = row.split(",", -1);
            final StringBuilder b = new StringBuilder(key).append(',').append(c[0]).append(',').append(c[1]);
            for (int i = 6; i < c.length; i++)
            {
                b.append(',').append(c[i]);
            }
            lines.add(b.toString());
        }
        return lines;
    }

    /** The slow obvious path: one model instance for the key, stepped in order, never saved or restored. */
    static List<String> direct(final ModelSpec spec, final String key, final List<Sample> samples) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        try (StreamModel m = spec.open())
        {
            long input = 0;
            for (final Sample s : samples)
            {
                final Output o = new Output();
                o.key = key;
                o.input = input++;
                if (s.error != null)
                {
                    o.status = 1;
                    o.values = new float[0];
                }
                else
                {
                    if ((s.flags & 1) != 0)
                    {
                        m.startSequence();
                    }
                    final double[] y = m.step(s.value);
                    o.synops = m.lastSynops();
                    o.rowAdds = m.lastRowAdds();
                    o.macs = m.lastMacs();
                    o.values = new float[y.length];
                    for (int i = 0; i < y.length; i++)
                    {
                        o.values[i] = (float)y[i];
                    }
                }
                lines.add(o.line());
            }
        }
        return lines;
    }
}
