namespace Orchestrator.Application.Common.Paging;

/// <summary>Page sizes, bound from the <c>Orchestrator</c> configuration section.</summary>
public sealed class PagingOptions
{
    public const string Section = "Orchestrator";

    /// <summary>The page size when a request gives no <c>limit</c>.</summary>
    public int DefaultPageSize { get; set; } = 1000;

    /// <summary>Larger limits are clamped to this; <c>pagination.limit</c> shows the limit used.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>The limit actually used for a requested one.</summary>
    public int Resolve(int? requested) => Math.Min(requested ?? DefaultPageSize, MaxPageSize);
}
