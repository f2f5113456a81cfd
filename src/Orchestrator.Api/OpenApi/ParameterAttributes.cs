namespace Orchestrator.Api.OpenApi;

/// <summary>The smallest value, for the OpenAPI document only: the validator holds the rule, and <c>[Range]</c> would add MVC's own check.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>A parameter this API adds to the published orchestrator contract.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ExtensionAttribute : Attribute;

/// <summary>The value when absent, for the OpenAPI document only: MVC would bind a <c>DefaultValueAttribute</c>'s value.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class DocumentedDefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}
