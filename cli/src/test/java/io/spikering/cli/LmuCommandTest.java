package io.spikering.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.spikering.neuron.LegendreMemory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LmuCommandTest
{
    private record Result(int exitCode, String out, String err)
    {
    }

    private static Result run(final String... args)
    {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try
        {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            final int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void jsonMatchesLegendreMemoryExactly()
    {
        for (final String method : new String[] {"zoh", "euler"})
        {
            final Result r = run("lmu", "--order", "6", "--theta", "12.5", "--method", method, "--json");
            assertEquals(0, r.exitCode(), r.err());
            final JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
            final LegendreMemory expected = method.equals("zoh") ? LegendreMemory.zoh(6, 12.5) : LegendreMemory.euler(6, 12.5);
            assertEquals(6, json.get("order").getAsInt());
            assertEquals(12.5, json.get("theta").getAsDouble(), 0.0);
            assertEquals(method, json.get("method").getAsString());
            final JsonArray a = json.getAsJsonArray("A");
            final JsonArray b = json.getAsJsonArray("B");
            assertEquals(6, a.size());
            assertEquals(6, b.size());
            for (int i = 0; i < 6; i++)
            {
                assertEquals(expected.b()[i], b.get(i).getAsDouble(), 0.0);
                for (int j = 0; j < 6; j++)
                {
                    assertEquals(expected.a()[i][j], a.get(i).getAsJsonArray().get(j).getAsDouble(), 0.0);
                }
            }
        }
    }

    @Test
    void tableShowsTheSpecReferenceValues()
    {
        final Result r = run("lmu", "--order", "4", "--theta", "10");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("0.894224525"), r.out());
        assertTrue(r.out().contains("-0.278532478"), r.out());
        assertTrue(r.out().contains("method zoh"), r.out());
    }

    @Test
    void badArgumentsExitWithTwoAndAClearMessage()
    {
        Result r = run("lmu", "--order", "0", "--theta", "10");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("error: --order must be in [1, 1024], got 0"), r.err());
        r = run("lmu", "--order", "4", "--theta", "-1");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("theta"), r.err());
        r = run("lmu", "--order", "4", "--theta", "10", "--method", "rk4");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("expected zoh or euler"), r.err());
    }

    @Test
    void helpListsTheLmuCommand()
    {
        final Result r = run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("lmu"), r.out());
    }
}
