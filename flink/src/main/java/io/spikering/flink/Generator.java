package io.spikering.flink;

import io.spikering.core.data.MackeyGlass;
import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.PixelSequences;
import io.spikering.core.data.PsMnist;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The benchmark source: record n belongs to key {@code n % keys} (round robin, as many sensors sampled in turn) and is
 * that key's step {@code n / keys}. {@code mackey-glass}: key k replays NeuroBench Mackey-Glass repeat {@code k % 8}
 * (1,500 steps, one sequence, as {@code stream feed --source mackey-glass}); {@code psmnist}: key k streams the
 * psMNIST test images k, k + keys, ... (784 steps each, one sequence per image; needs {@code data fetch mnist}).
 * Deterministic in n, so a restored source replays exactly the records it had produced.
 */
public final class Generator implements GeneratorFunction<Long, Sample>
{
    private static final long serialVersionUID = 1L;
    public static final int MACKEY_GLASS_REPEATS = 8;

    private final String kind;
    private final int keys;
    private final long permutationSeed;
    private transient String[] names;
    private transient float[][] series;
    private transient PixelSequences images;

    public Generator(final String kind, final int keys, final long permutationSeed)
    {
        if (!kind.equals("mackey-glass") && !kind.equals("psmnist"))
        {
            throw new IllegalArgumentException("--generate must be mackey-glass or psmnist, got " + kind);
        }
        if (keys < 1)
        {
            throw new IllegalArgumentException("--keys must be >= 1, got " + keys);
        }
        this.kind = kind;
        this.keys = keys;
        this.permutationSeed = permutationSeed;
    }

    public static String key(final int k)
    {
        return "sensor-" + k;
    }

    public void open(final SourceReaderContext context) throws Exception
    {
        names = new String[keys];
        for (int k = 0; k < keys; k++)
        {
            names[k] = key(k);
        }
        if (kind.equals("psmnist"))
        {
            images = PsMnist.load(MnistDataset.defaultCacheDir(), permutationSeed).test();
        }
        else
        {
            series = mackeyGlass();
        }
    }

    /** The NeuroBench repeats 0..7 as {@code Sources.mackeyGlass} makes them, as the float samples the queue carries. */
    public static float[][] mackeyGlass()
    {
        final MackeyGlass mg = MackeyGlass.neuroBench();
        final float[][] s = new float[MACKEY_GLASS_REPEATS][];
        for (int r = 0; r < s.length; r++)
        {
            final double[] d = mg.neuroBenchSeries(r * 0.5 * MackeyGlass.POINTS_PER_LYAPUNOV_TIME);
            s[r] = new float[d.length];
            for (int i = 0; i < d.length; i++)
            {
                s[r][i] = (float)d[i];
            }
        }
        return s;
    }

    public Sample map(final Long n)
    {
        final int k = (int)(n % keys);
        final long step = n / keys;
        final int length;
        final int t;
        final float v;
        if (images != null)
        {
            length = images.steps();
            final long image = (step / length) * keys + k;
            t = (int)(step % length);
            v = images.pixel((int)(image % images.size()), t);
        }
        else
        {
            final float[] s = series[k % series.length];
            length = s.length;
            t = (int)(step % length);
            v = s[t];
        }
        final int flags = (t == 0 ? 1 : 0) | (t == length - 1 ? 2 : 0);
        return Sample.of(names[k], flags, v, System.nanoTime());
    }
}
