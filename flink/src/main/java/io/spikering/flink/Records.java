package io.spikering.flink;

/**
 * The text record of the file and Kafka sources: {@code key,flags,value}, one sample per line; key = the stream
 * (sensor) id, flags = 1 at a sequence start, 2 at a sequence end (3 both, 0 neither; the bits of {@code stream
 * feed}'s samples), value = a finite float. A record that does not parse becomes a {@link Sample#malformed} sample of
 * its key (the text before the first comma) with the reason: it is never dropped.
 */
public final class Records
{
    private Records()
    {
    }

    public static Sample parse(final String line)
    {
        final int c1 = line.indexOf(',');
        final String key = (c1 < 0 ? line : line.substring(0, c1)).strip();
        if (c1 < 0)
        {
            return Sample.malformed(key, "expected key,flags,value; found no comma", line);
        }
        final int c2 = line.indexOf(',', c1 + 1);
        if (c2 < 0 || line.indexOf(',', c2 + 1) >= 0)
        {
            return Sample.malformed(key, "expected 3 fields key,flags,value (the models take one value per step)", line);
        }
        if (key.isEmpty())
        {
            return Sample.malformed(key, "empty key", line);
        }
        final int flags;
        try
        {
            flags = Integer.parseInt(line.substring(c1 + 1, c2).strip());
        }
        catch (final NumberFormatException e)
        {
            return Sample.malformed(key, "flags '" + line.substring(c1 + 1, c2).strip() + "' is not an integer 0..3", line);
        }
        if (flags < 0 || flags > 3)
        {
            return Sample.malformed(key, "flags " + flags + " not in 0..3 (1 = sequence start, 2 = sequence end)", line);
        }
        final float value;
        try
        {
            value = Float.parseFloat(line.substring(c2 + 1).strip());
        }
        catch (final NumberFormatException e)
        {
            return Sample.malformed(key, "value '" + line.substring(c2 + 1).strip() + "' is not a number", line);
        }
        if (!Float.isFinite(value))
        {
            return Sample.malformed(key, "value " + value + " is not finite; inputs must be finite", line);
        }
        return Sample.of(key, flags, value, 0);
    }
}
