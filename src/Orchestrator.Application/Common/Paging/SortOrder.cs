namespace Orchestrator.Application.Common.Paging;

/// <summary>The <c>order</c> parameter: <c>asc</c> (default) or <c>desc</c>.</summary>
public enum SortOrder
{
    Asc,
    Desc,
}
