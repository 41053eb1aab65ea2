package io.spikering.core.stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Classification accuracy of a {@code stream run} output queue: for every input sample flagged sequence-end with a
 * label ≥ 0, the class is the argmax (first index of the largest value) of its output, compared with the label.
 */
public final class StreamAccuracy
{
    /** Sequences scored and how many were classified correctly. */
    public record Result(long sequences, long correct)
    {
        public double accuracy()
        {
            return sequences == 0 ? Double.NaN : (double)correct / sequences;
        }
    }

    private StreamAccuracy()
    {
    }

    public static Result of(final Path in, final Path out) throws IOException
    {
        long sequences = 0;
        long correct = 0;
        try (ChronicleQueue inQ = Queues.openExisting(in, "input"); ChronicleQueue outQ = Queues.openExisting(out, "output");
             ExcerptTailer inT = inQ.createTailer(); ExcerptTailer outT = outQ.createTailer())
        {
            final SampleWire.Sample s = new SampleWire.Sample();
            final OutputWire.Output o = new OutputWire.Output();
            long ordinal = 0;
            while (true)
            {
                try (DocumentContext ic = inT.readingDocument(); DocumentContext oc = outT.readingDocument())
                {
                    if (!ic.isPresent() || !oc.isPresent())
                    {
                        break;
                    }
                    final String inError = SampleWire.read(ic.wire().bytes(), s);
                    final String outError = OutputWire.read(oc.wire().bytes(), o);
                    if (outError != null)
                    {
                        throw new IOException(out + ": output " + ordinal + ": " + outError);
                    }
                    if (o.inputOrdinal != ordinal)
                    {
                        throw new IOException(out + ": output " + ordinal + " is for input " + o.inputOrdinal + "; not the output queue of " + in);
                    }
                    if (inError == null && (s.flags & SampleWire.FLAG_SEQUENCE_END) != 0 && s.label >= 0 &&
                        o.status == OutputWire.STATUS_OK && o.length > 0)
                    {
                        int best = 0;
                        for (int k = 1; k < o.length; k++)
                        {
                            if (o.values[k] > o.values[best])
                            {
                                best = k;
                            }
                        }
                        sequences++;
                        correct += best == s.label ? 1 : 0;
                    }
                    ordinal++;
                }
            }
        }
        return new Result(sequences, correct);
    }
}
