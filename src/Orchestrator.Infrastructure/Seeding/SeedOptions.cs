namespace Orchestrator.Infrastructure.Seeding;

/// <summary>What <see cref="DemoDataSeeder"/> generates; the same options always produce the same rows.</summary>
public sealed class SeedOptions
{
    public static readonly DateTime DefaultEpoch = new(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>How many jobs, with ids 1..Jobs.</summary>
    public int Jobs { get; set; } = 200;

    public int Seed { get; set; } = 42;

    /// <summary>When the first job is created; <see cref="DefaultEpoch"/> when null.</summary>
    public DateTime? Epoch { get; set; }

    /// <summary>The mean nodes per job of a large fleet (docs/performance.md); null keeps the demo's own mix.</summary>
    public double? NodesPerJob { get; set; }

    /// <summary>The mean events of a node that ran; above 2 adds plan steps. Null is 2.</summary>
    public double? EventsPerNode { get; set; }

    public bool Replace { get; set; }
}
