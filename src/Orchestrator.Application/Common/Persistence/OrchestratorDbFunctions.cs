namespace Orchestrator.Application.Common.Persistence;

/// <summary>
/// Functions that exist only inside LINQ queries; each provider translates them to its own SQL
/// (see the Infrastructure's <c>DbFunctionTranslations</c>).
/// </summary>
public static class OrchestratorDbFunctions
{
    /// <summary>Seconds from <paramref name="from"/> to <paramref name="to"/>, fractions included.</summary>
    public static double? SecondsBetween(DateTime? from, DateTime? to) =>
        throw new NotSupportedException($"{nameof(SecondsBetween)} runs only inside a database query.");
}
