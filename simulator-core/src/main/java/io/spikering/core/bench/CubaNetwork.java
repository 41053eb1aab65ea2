package io.spikering.core.bench;

import io.spikering.core.engine.Network;
import io.spikering.core.engine.Port;
import io.spikering.neuron.CubaLif;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The CUBA benchmark network of Brette et al. 2007 in its NEST {@code iaf_psc_exp} form (docs/benchmarks.md):
 * 3200 excitatory and 800 inhibitory current-based LIF neurons ({@link CubaLif.Parameters#cuba()}), each receiving
 * exactly {@value #CE} excitatory and {@value #CI} inhibitory synapses from distinct sources other than itself
 * (fixed in-degree), weights {@value #W_EX_PA} pA and {@value #W_IN_PA} pA, delay 1 step of {@value #DT_MS} ms,
 * initial membrane potentials uniform in [V_reset, V_th) from the seed. Populations "exc" (id 0) and "inh" (id 1).
 */
public final class CubaNetwork
{
    public static final int EXCITATORY = 3200;
    public static final int INHIBITORY = 800;
    public static final int CE = 64;
    public static final int CI = 16;
    public static final double DT_MS = 0.1;
    public static final float W_EX_PA = 16.2f;
    public static final float W_IN_PA = -139.5f;
    public static final int DELAY_STEPS = 1;

    private CubaNetwork()
    {
    }

    /** The standard network (3200 + 800 neurons) from {@code seed}. */
    public static Network build(final long seed)
    {
        return build(seed, EXCITATORY, INHIBITORY, CE, CI);
    }

    /** A network of the same kind with other sizes and in-degrees (smaller ones for tests). */
    public static Network build(final long seed, final int excitatory, final int inhibitory, final int ce, final int ci)
    {
        if (excitatory < 2 || inhibitory < 2)
        {
            throw new IllegalArgumentException("excitatory and inhibitory sizes must be >= 2, got " + excitatory + " and " + inhibitory);
        }
        if (ce < 0 || ce >= excitatory || ci < 0 || ci >= inhibitory)
        {
            throw new IllegalArgumentException("in-degrees must be in [0, size - 1] (no self-connections): ce " + ce +
                " of " + excitatory + ", ci " + ci + " of " + inhibitory);
        }
        final CubaLif.Parameters p = CubaLif.Parameters.cuba();
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] vExc = initialMembrane(random, excitatory, p);
        final double[] vInh = initialMembrane(random, inhibitory, p);

        final Network.Builder builder = Network.builder();
        final int exc = builder.lif("exc", excitatory, p, DT_MS, vExc);
        final int inh = builder.lif("inh", inhibitory, p, DT_MS, vInh);
        // Sources drawn per target in this order: exc targets then inh targets, excitatory sources then inhibitory.
        final int[][] excToExc = fixedInDegree(random, excitatory, excitatory, ce, true);
        final int[][] inhToExc = fixedInDegree(random, inhibitory, excitatory, ci, false);
        final int[][] excToInh = fixedInDegree(random, excitatory, inhibitory, ce, false);
        final int[][] inhToInh = fixedInDegree(random, inhibitory, inhibitory, ci, true);
        connect(builder, exc, exc, excToExc, W_EX_PA, Port.EXCITATORY);
        connect(builder, exc, inh, excToInh, W_EX_PA, Port.EXCITATORY);
        connect(builder, inh, exc, inhToExc, W_IN_PA, Port.INHIBITORY);
        connect(builder, inh, inh, inhToInh, W_IN_PA, Port.INHIBITORY);
        return builder.build();
    }

    private static double[] initialMembrane(final SplittableRandom random, final int size, final CubaLif.Parameters p)
    {
        final double[] v = new double[size];
        for (int i = 0; i < size; i++)
        {
            v[i] = p.vResetMv() + random.nextDouble() * (p.vThMv() - p.vResetMv());
        }
        return v;
    }

    /**
     * For every target, {@code indegree} distinct sources (never the target itself when {@code same} population);
     * returned transposed as sorted target lists per source (the engine's sparse rows).
     */
    static int[][] fixedInDegree(final SplittableRandom random, final int sources, final int targets, final int indegree,
        final boolean same)
    {
        final int[] chosen = new int[targets * indegree];
        final int[] stamp = new int[sources];
        Arrays.fill(stamp, -1);
        final int[] outDegree = new int[sources];
        for (int j = 0; j < targets; j++)
        {
            if (same)
            {
                stamp[j] = j;
            }
            for (int k = 0; k < indegree; k++)
            {
                int s;
                do
                {
                    s = random.nextInt(sources);
                }
                while (stamp[s] == j);
                stamp[s] = j;
                chosen[j * indegree + k] = s;
                outDegree[s]++;
            }
        }
        final int[][] rows = new int[sources][];
        for (int s = 0; s < sources; s++)
        {
            rows[s] = new int[outDegree[s]];
        }
        final int[] fill = new int[sources];
        for (int j = 0; j < targets; j++) // ascending j: every row comes out sorted
        {
            for (int k = 0; k < indegree; k++)
            {
                final int s = chosen[j * indegree + k];
                rows[s][fill[s]++] = j;
            }
        }
        return rows;
    }

    private static void connect(final Network.Builder builder, final int source, final int target, final int[][] rows,
        final float weight, final Port port)
    {
        final float[][] weights = new float[rows.length][];
        for (int s = 0; s < rows.length; s++)
        {
            weights[s] = new float[rows[s].length];
            Arrays.fill(weights[s], weight);
        }
        builder.connect(source, target).delay(DELAY_STEPS).port(port).sparse(rows, weights);
    }
}
