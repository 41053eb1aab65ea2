package io.spikering.core.engine;

/** Runtime view of one projection: its weights, non-zero fan-out per row and the target ring it adds into. */
final class Route
{
    final int id;
    final int source;
    final int delay;
    final DelayRing ring;
    final int width;
    final double[][] denseRows;
    final int[][] sparseTargets;
    final float[][] sparseWeights;
    final int[] nonZeroFanOut;
    final long denseMacsPerStep;
    final long targetFrom;
    final long targetUntil;

    Route(final Projection p, final Population targetPopulation, final DelayRing ring)
    {
        id = p.id;
        source = p.source;
        delay = p.delay;
        this.ring = ring;
        width = p.targetSize;
        denseRows = p.denseRowsWide;
        sparseTargets = p.sparseTargets;
        sparseWeights = p.sparseWeights;
        nonZeroFanOut = p.nonZeroFanOut;
        denseMacsPerStep = p.denseMacsPerStep;
        targetFrom = targetPopulation.activeFrom;
        targetUntil = targetPopulation.activeUntil;
    }
}
