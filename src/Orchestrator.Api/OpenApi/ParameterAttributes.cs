namespace Orchestrator.Api.OpenApi;

/// <summary>
/// The smallest value a parameter accepts, for the OpenAPI document only: the rule itself is the query's
/// validator, so MVC's DataAnnotations validation (which <c>[Range]</c> would trigger) is not involved.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>A parameter this API adds to the published orchestrator contract; marked as such in the document.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ExtensionAttribute : Attribute;

/// <summary>
/// The value a parameter takes when absent, for the OpenAPI document only. Not
/// <c>System.ComponentModel.DefaultValueAttribute</c>: MVC would bind that value into the action argument itself.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class DocumentedDefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}
