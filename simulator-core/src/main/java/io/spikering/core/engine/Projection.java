package io.spikering.core.engine;

/**
 * Immutable description of one projection: weights from every output unit of {@link #source()} to the input
 * columns of {@link #target()}'s {@link #port()}, delivered {@link #delay()} steps later. Dense weights are one
 * float row per source unit ({@code [sourceOutput][targetInput]}); sparse weights are, per source unit, target
 * column indices and their weights (no duplicates within a row).
 */
public final class Projection
{
    final int id;
    final String name;
    final int source;
    final int target;
    final Port port;
    final int delay;
    final float[][] denseRows;
    /** The dense rows widened to double for the delivery kernel (exact; see {@link Delivery}). */
    final double[][] denseRowsWide;
    final int[][] sparseTargets;
    final float[][] sparseWeights;
    final int targetSize;
    final int[] nonZeroFanOut;
    final long nonZeroWeights;
    final ConvKernel convKernel;
    final float[] gains;
    final long denseMacsPerStep;

    Projection(
        final int id,
        final String name,
        final int source,
        final int target,
        final Port port,
        final int delay,
        final float[][] denseRows,
        final int[][] sparseTargets,
        final float[][] sparseWeights,
        final int targetSize,
        final long denseMacsPerStep)
    {
        this(id, name, source, target, port, delay, denseRows, sparseTargets, sparseWeights, targetSize, null, null,
            denseMacsPerStep);
    }

    Projection(
        final int id,
        final String name,
        final int source,
        final int target,
        final Port port,
        final int delay,
        final float[][] denseRows,
        final int[][] sparseTargets,
        final float[][] sparseWeights,
        final int targetSize,
        final ConvKernel convKernel,
        final float[] gains,
        final long denseMacsPerStep)
    {
        this.convKernel = convKernel;
        this.gains = gains;
        this.denseMacsPerStep = denseMacsPerStep;
        this.id = id;
        this.name = name;
        this.source = source;
        this.target = target;
        this.port = port;
        this.delay = delay;
        this.denseRows = denseRows;
        denseRowsWide = denseRows == null ? null : widen(denseRows);
        this.sparseTargets = sparseTargets;
        this.sparseWeights = sparseWeights;
        this.targetSize = targetSize;
        final float[][] rows = denseRows != null ? denseRows : sparseWeights;
        nonZeroFanOut = new int[rows.length];
        long total = 0;
        for (int i = 0; i < rows.length; i++)
        {
            int nz = 0;
            for (final float w : rows[i])
            {
                if (w != 0.0f)
                {
                    nz++;
                }
            }
            nonZeroFanOut[i] = nz;
            total += nz;
        }
        nonZeroWeights = total;
    }

    public int id()
    {
        return id;
    }

    public String name()
    {
        return name;
    }

    /** Source population id. */
    public int source()
    {
        return source;
    }

    /** Target population id. */
    public int target()
    {
        return target;
    }

    public Port port()
    {
        return port;
    }

    /** Delay in steps (0: delivered in the same step, to a population later in the topological order). */
    public int delay()
    {
        return delay;
    }

    /** Whether the weights are stored as sparse rows (also true for convolutions, pooling and diagonals). */
    public boolean isSparse()
    {
        return denseRows == null;
    }

    /** The convolution or pooling this projection was built from ({@link Network.ProjectionBuilder#conv}), else null. */
    public ConvKernel convKernel()
    {
        return convKernel;
    }

    /** The gains of a diagonal projection ({@link Network.ProjectionBuilder#diagonal}; copy), else null. */
    public float[] diagonalGains()
    {
        return gains == null ? null : gains.clone();
    }

    /**
     * Multiply-accumulates per step of the cheapest dense implementation, counted as MACS_DENSE every step: source size x
     * target size unless given ({@link Network.ProjectionBuilder#denseMacsPerStep}); a convolution's
     * {@link ConvKernel#denseMacsPerStep()}; a diagonal's length.
     */
    public long denseMacsPerStep()
    {
        return denseMacsPerStep;
    }

    /**
     * Whether this is an element-wise projection (sparse, as many sources as targets, row i reaching at most target
     * i: what {@code identity()} and {@code diagonal()} build), not a connection layer.
     */
    public boolean isOneToOne()
    {
        if (sparseTargets == null || sparseTargets.length != targetSize)
        {
            return false;
        }
        for (int i = 0; i < sparseTargets.length; i++)
        {
            final int[] t = sparseTargets[i];
            if (t.length > 1 || t.length == 1 && t[0] != i)
            {
                return false;
            }
        }
        return true;
    }

    /** Number of source units (rows). */
    public int sourceSize()
    {
        return nonZeroFanOut.length;
    }

    /** Number of target input columns. */
    public int targetSize()
    {
        return targetSize;
    }

    /** Number of non-zero weights in row {@code sourceUnit}. */
    public int nonZeroFanOut(final int sourceUnit)
    {
        return nonZeroFanOut[sourceUnit];
    }

    /** Number of non-zero weights in the whole projection. */
    public long nonZeroWeights()
    {
        return nonZeroWeights;
    }

    /** Weight from source unit {@code row} to target column {@code column} (0 where sparse rows hold none). */
    public float weight(final int row, final int column)
    {
        if (denseRows != null)
        {
            return denseRows[row][column];
        }
        final int[] targets = sparseTargets[row];
        for (int k = 0; k < targets.length; k++)
        {
            if (targets[k] == column)
            {
                return sparseWeights[row][k];
            }
        }
        return 0.0f;
    }

    /** The weights as a dense matrix {@code [sourceSize][targetSize]} (a copy). */
    public float[][] toDense()
    {
        final float[][] dense = new float[sourceSize()][targetSize];
        for (int i = 0; i < dense.length; i++)
        {
            if (denseRows != null)
            {
                System.arraycopy(denseRows[i], 0, dense[i], 0, targetSize);
            }
            else
            {
                final int[] targets = sparseTargets[i];
                for (int k = 0; k < targets.length; k++)
                {
                    dense[i][targets[k]] = sparseWeights[i][k];
                }
            }
        }
        return dense;
    }

    @Override
    public String toString()
    {
        return "projection #" + id + " '" + name + "'";
    }

    private static double[][] widen(final float[][] rows)
    {
        final double[][] wide = new double[rows.length][];
        for (int i = 0; i < rows.length; i++)
        {
            final float[] row = rows[i];
            final double[] w = new double[row.length];
            for (int j = 0; j < row.length; j++)
            {
                w[j] = row[j];
            }
            wide[i] = w;
        }
        return wide;
    }
}
