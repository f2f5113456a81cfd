namespace Orchestrator.FunctionalTests.Infrastructure;

public static class TestData
{
    public const string Jobs = "jobs.json";

    /// <summary>Owners, environments, tasks and node names that differ only in case.</summary>
    public const string MixedCase = "mixed-case.json";

    public static string PathOf(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", file);

    public static string Expected(string name) => File.ReadAllText(PathOf(Path.Combine("Expected", name)));
}
