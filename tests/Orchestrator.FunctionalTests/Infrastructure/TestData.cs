namespace Orchestrator.FunctionalTests.Infrastructure;

public static class TestData
{
    public const string Jobs = "jobs.json";

    public static string PathOf(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", file);

    public static string Expected(string name) => File.ReadAllText(PathOf(Path.Combine("Expected", name)));
}
