package io.spikering.core.engine;

import io.spikering.neuron.SigmaDeltaQuantizer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Linear state space per channel c: m_c &lt;- A m_c + B u_c. Computed as column updates (next += A[:, j] * m[j],
 * j ascending, then + B u) so the loop vectorises while each element is summed in the same order as the row dot
 * product (A[i][0] m[0] + A[i][1] m[1] + ... + B[i] u). Output m, dense or sigma-delta quantized.
 */
final class StateSpaceLayer extends Layer
{
    private final int channels;
    private final int order;
    private final double[][] columns;
    private final double[] b;
    final double[] memory;
    private final double[] next;
    final SigmaDeltaQuantizer quantizer;
    private final long macs;
    private final long denseMacs;

    StateSpaceLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
        channels = spec.channels;
        order = spec.stateB.length;
        columns = new double[order][order];
        long nonZero = 0;
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                columns[j][i] = spec.stateA[i][j];
                nonZero += spec.stateA[i][j] != 0.0 ? 1 : 0;
            }
        }
        b = spec.stateB.clone();
        for (final double v : b)
        {
            nonZero += v != 0.0 ? 1 : 0;
        }
        macs = nonZero * channels;
        denseMacs = ((long)order * order + order) * channels;
        memory = new double[spec.outputSize];
        next = new double[spec.outputSize];
        final Quantization q = spec.quantization;
        quantizer = q == null ? null :
            new SigmaDeltaQuantizer(spec.outputSize, q.activation(), q.dt(), q.amplitude(), q.seed());
    }

    @Override
    void update(final long step)
    {
        final double[] u = input(step);
        final double[] m = memory;
        final double[] nx = next;
        final int d = order;
        Arrays.fill(nx, 0.0);
        for (int c = 0; c < channels; c++)
        {
            final int base = c * d;
            int j = 0;
            // four columns per pass over next: each element still receives its products in ascending j, one at a
            // time (Java does not reassociate), so the sums are bit-identical to the one-column loop
            for (; j + 4 <= d; j += 4)
            {
                final double m0 = m[base + j];
                final double m1 = m[base + j + 1];
                final double m2 = m[base + j + 2];
                final double m3 = m[base + j + 3];
                final double[] c0 = columns[j];
                final double[] c1 = columns[j + 1];
                final double[] c2 = columns[j + 2];
                final double[] c3 = columns[j + 3];
                for (int i = 0; i < d; i++)
                {
                    nx[base + i] = nx[base + i] + c0[i] * m0 + c1[i] * m1 + c2[i] * m2 + c3[i] * m3;
                }
            }
            for (; j < d; j++)
            {
                final double mj = m[base + j];
                final double[] col = columns[j];
                for (int i = 0; i < d; i++)
                {
                    nx[base + i] += col[i] * mj;
                }
            }
            final double uc = u[c];
            for (int i = 0; i < d; i++)
            {
                nx[base + i] += b[i] * uc;
            }
        }
        System.arraycopy(nx, 0, m, 0, m.length);
        Arrays.fill(u, 0.0);
        if (quantizer == null)
        {
            System.arraycopy(m, 0, output, 0, m.length);
            compactOutput();
        }
        else
        {
            quantizer.step(m, counts);
            compactCounts(quantizer.outputScale());
        }
    }

    @Override
    int stateBytes()
    {
        return super.stateBytes() + 8 * memory.length + (quantizer == null ? 0 : quantizerBytes(quantizer));
    }

    @Override
    void save(final ByteBuffer out)
    {
        super.save(out);
        putAll(out, memory);
        if (quantizer != null)
        {
            saveQuantizer(out, quantizer);
        }
    }

    @Override
    void restore(final ByteBuffer in)
    {
        super.restore(in);
        getAll(in, memory);
        if (quantizer != null)
        {
            restoreQuantizer(in, quantizer);
        }
    }

    @Override
    void reset(final boolean useSeed, final long seed)
    {
        super.reset(useSeed, seed);
        Arrays.fill(memory, 0.0);
        if (quantizer != null)
        {
            quantizer.initVoltages(useSeed ? mix(seed, spec.id) : spec.quantization.seed());
        }
    }

    @Override
    long ownMacs()
    {
        return macs;
    }

    @Override
    long ownDenseMacs()
    {
        return denseMacs;
    }
}
