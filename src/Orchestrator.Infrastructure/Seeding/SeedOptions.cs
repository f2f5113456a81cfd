namespace Orchestrator.Infrastructure.Seeding;

/// <summary>What <see cref="DemoDataSeeder"/> generates; the same options always produce the same rows.</summary>
public sealed class SeedOptions
{
    public static readonly DateTime DefaultEpoch = new(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>How many jobs, with ids 1..Jobs.</summary>
    public int Jobs { get; set; } = 200;

    public int Seed { get; set; } = 42;

    /// <summary>When the first job is created (UTC); <see cref="DefaultEpoch"/> when null.</summary>
    public DateTime? Epoch { get; set; }

    /// <summary>
    /// The mean number of nodes per job for large datasets: most jobs get 1 to 20 nodes, one job in ten thousand
    /// gets 10,000 or more, and owners and environments number in the hundreds and dozens. Null keeps the demo's
    /// own mix (about 8 nodes a job, at most 80).
    /// </summary>
    public double? NodesPerJob { get; set; }

    /// <summary>
    /// The mean number of events of a node that ran: 2 (started, then its result); more adds plan steps, each a
    /// started/finished pair. Null is 2.
    /// </summary>
    public double? EventsPerNode { get; set; }

    /// <summary>Delete every existing job first; without it a database that holds jobs is left alone.</summary>
    public bool Replace { get; set; }
}
