namespace Orchestrator.FunctionalTests.Infrastructure;

/// <summary>
/// NUnit categories the CI jobs filter on. Every functional test runs on both providers unless it carries
/// <see cref="SqliteOnly"/>, with a comment saying why; the SQL Server job runs <c>--filter "TestCategory!=SqliteOnly"</c>.
/// </summary>
public static class TestCategories
{
    /// <summary>Needs SQLite itself (its file, its locks, its read-only open mode), which SQL Server has no counterpart of.</summary>
    public const string SqliteOnly = "SqliteOnly";
}
