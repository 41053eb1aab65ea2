package io.spikering.core.engine;

import io.spikering.neuron.CubaLif;

/** LIF population parameters; {@code initialMembraneMv} (nullable) is applied at construction and on reset. */
record LifSpec(CubaLif.Parameters parameters, double dtMs, double[] initialMembraneMv)
{
}
