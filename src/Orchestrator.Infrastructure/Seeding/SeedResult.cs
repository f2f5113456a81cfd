namespace Orchestrator.Infrastructure.Seeding;

/// <summary>How many rows were seeded, or why nothing was (<see cref="Refusal"/>).</summary>
public sealed record SeedResult(int Jobs, int Nodes, int Events, string? Refusal = null)
{
    public bool Refused => Refusal is not null;

    public static SeedResult Refuse(string reason) => new(0, 0, 0, reason);
}
