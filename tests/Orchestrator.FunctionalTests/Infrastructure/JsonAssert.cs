using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.FunctionalTests.Infrastructure;

/// <summary>Whole-document comparison: key order is free, every key, value, type and null must match.</summary>
public static class JsonAssert
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void AreEqual(string expected, string actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        if (!JsonNode.DeepEquals(expectedNode, actualNode))
            Assert.That(actualNode?.ToJsonString(Indented), Is.EqualTo(expectedNode?.ToJsonString(Indented)), "JSON documents differ");
    }
}
