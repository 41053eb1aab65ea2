package io.spikering.core.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnergyEstimateTest
{
    /** events 100, synops 250, row_adds 200, shift_adds 220, macs_effective 1000, macs_dense 1200, neuron_updates 50. */
    static final OpCounts COUNTS = OpCounts.of(Map.of("events", 100, "synops", 250, "row_adds", 200,
        "shift_adds", 220, "macs_effective", 1000, "macs_dense", 1200, "neuron_updates", 50));

    @TempDir
    Path dir;

    private static double pj(final String profile)
    {
        return EnergyProfiles.builtIn(profile).estimate(COUNTS).joules() / 1e-12;
    }

    @Test
    void handComputedBuiltIns()
    {
        assertEquals(220 * 0.9 + 1000 * 4.6 + 50 * 4.6, pj("horowitz45-fp32"), 1e-9);            // 5028 pJ
        assertEquals(5028 + 200 * 5.0 + 1000 * 5.0, pj("horowitz45-fp32-sram"), 1e-9);           // 11028 pJ
        assertEquals(220 * 0.03 + 1000 * 0.23 + 50 * 0.23, pj("horowitz45-int8"), 1e-9);        // 248.1 pJ
        assertEquals(250 * 27.1 + 1000 * 27.1 + 50 * 81, pj("loihi"), 1e-9);                    // 37925 pJ
        assertEquals(250 * 13_300.0 + 1000 * 13_300.0 + 50 * 26_000.0, pj("spinnaker"), 1e-6);  // 17.925 µJ
        assertEquals(250 * 450.0 + 1000 * 450.0 + 50 * 2190.0, pj("spinnaker2"), 1e-6);         // 672 nJ
        assertEquals((1200 + 50) * 8600.0, pj("cpu"), 1e-6);                                    // 10.75 µJ
        assertEquals((1200 + 50) * 300.0, pj("gpu"), 1e-6);
        assertEquals((1200 + 50) * 900.0, pj("arm"), 1e-6);
    }

    @Test
    void breakdownAndLabel()
    {
        final EnergyEstimate e = EnergyProfiles.builtIn("horowitz45-fp32-sram").estimate(COUNTS);
        assertEquals(200 * 5e-12, e.memoryJoules(OpKind.ROW_ADDS), 1e-24);
        assertEquals(1000 * 4.6e-12, e.computeJoules(OpKind.MACS_EFFECTIVE), 1e-24);
        assertEquals(6000e-12, e.memoryJoules(), 1e-22);
        assertEquals("11.0 nJ (estimate, profile horowitz45-fp32-sram)", e.toString());
        assertEquals("4.60 pJ", EnergyEstimate.format(4.6e-12));
        assertEquals("1.23 mJ", EnergyEstimate.format(1.234e-3));
        assertEquals("0 J", EnergyEstimate.format(0));
    }

    /** KerasSpiking on a non-spiking device: every synapse every step. A dense 784→10 layer, one step, on cpu. */
    @Test
    void nonSpikingBaselineMatchesKerasSpikingConvention()
    {
        final OpCounts dense = new OpCounts(0, 0, 0, 0, 7840, 7840, 10);
        assertEquals((7840 + 10) * 8.6e-9, EnergyProfiles.builtIn("cpu").estimate(dense).joules(), 1e-18);
    }

    @Test
    void builtInResourcesAreExactlyTheListedProfiles() throws IOException, URISyntaxException
    {
        final Path res = Path.of(EnergyProfiles.class.getResource("/energy").toURI());
        try (var files = Files.list(res))
        {
            final Set<String> names = files.map(p -> p.getFileName().toString().replace(".json", ""))
                .collect(Collectors.toSet());
            assertEquals(Set.copyOf(EnergyProfiles.NAMES), names);
        }
        for (final EnergyProfile p : EnergyProfiles.builtIn())
        {
            assertTrue(!p.sources().isEmpty() && !p.notes().isEmpty() && !p.charges().isEmpty(), p.name());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EnergyProfiles.builtIn("tpu")).getMessage()
            .contains("horowitz45-fp32"));
    }

    @Test
    void userProfileFile() throws IOException
    {
        final Path p = Files.writeString(dir.resolve("mine.json"), "{\"name\":\"mine\",\"description\":\"test\"," +
            "\"sources\":[\"me\"],\"compute_pj\":{\"row_adds\":2.5},\"memory_pj\":{\"row_adds\":1}}");
        final EnergyProfile mine = EnergyProfiles.resolve(p.toString());
        assertEquals(200 * 3.5e-12, mine.estimate(COUNTS).joules(), 1e-24);
        assertEquals("loihi", EnergyProfiles.resolve("loihi").name());
    }

    private String bad(final String json)
    {
        return assertThrows(IllegalArgumentException.class, () -> EnergyProfile.parse(json, "p.json")).getMessage();
    }

    @Test
    void validation()
    {
        final String ok = "\"name\":\"x\",\"description\":\"d\",\"sources\":[\"s\"]";
        assertTrue(bad("{" + ok + ",\"compute_pj\":{\"synop\":1}}").contains("unknown operation count 'synop'"));
        assertTrue(bad("{" + ok + ",\"compute_pj\":{\"synops\":-1}}").contains("compute_pj.synops"));
        assertTrue(bad("{" + ok + ",\"compute_pj\":{\"synops\":NaN}}").contains("compute_pj.synops"));
        assertTrue(bad("{" + ok + ",\"compute_pj\":{\"synops\":\"1\"}}").contains("must be a number"));
        assertTrue(bad("{" + ok + ",\"compute_pj\":{\"synops\":0}}").contains("charges nothing"));
        assertTrue(bad("{" + ok + "}").contains("lacks 'compute_pj'"));
        assertTrue(bad("{" + ok + ",\"costs_pj\":{}}").contains("unknown field 'costs_pj'"));
        assertTrue(bad("{\"name\":\"x\",\"description\":\"d\",\"sources\":[],\"compute_pj\":{\"synops\":1}}")
            .contains("sources"));
        assertTrue(bad("{\"name\":\"Bad Name\",\"description\":\"d\",\"sources\":[\"s\"],\"compute_pj\":{\"synops\":1}}")
            .contains("'name'"));
        assertTrue(bad("[1]").contains("not a JSON object"));
        assertTrue(bad("{").contains("p.json"));
        assertThrows(IOException.class, () -> EnergyProfile.load(dir.resolve("missing.json")));
        assertThrows(IllegalArgumentException.class, () -> new OpCounts(-1, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> OpCounts.of(Map.of("macs", 1)));
    }
}
