using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Orchestrator.Api.ModelBinding;
using Orchestrator.Api.OpenApi;

namespace Orchestrator.Api.Http;

/// <summary>Marks an action whose 200 documents may be answered again while the data version is unchanged.</summary>
/// <remarks>
/// Only documents that depend on nothing but the data: <c>/nodes</c> and <c>/report</c> carry durations that grow
/// with the clock, so they never carry it, whatever spelling of their path routes to them.
/// </remarks>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CachedDocumentAttribute : Attribute;

/// <summary>
/// The key of a cacheable request: its endpoint and its parameters as MVC binds them (the same
/// <see cref="StrictValueBinder"/>), normalised, so that spellings that mean the same share one entry
/// (<c>limit=0010</c> and <c>limit=10</c>, <c>state=failed,new</c> and <c>state=new&amp;state=failed</c>,
/// <c>order=asc</c> and no <c>order</c>) and parameters the action does not declare change nothing.
/// </summary>
public static class DocumentKeys
{
    private static readonly ConcurrentDictionary<ControllerActionDescriptor, Parameter[]> Parameters = new();

    /// <summary>The key, or null when the endpoint is not cacheable or a parameter would not bind (MVC answers 400).</summary>
    public static string? Of(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata is not { } metadata
            || metadata.GetMetadata<CachedDocumentAttribute>() is null
            || metadata.GetMetadata<ControllerActionDescriptor>() is not { } action)
            return null;

        var request = context.Request;
        // Links are built from the request's scheme, host and path base: a document never carries another host's.
        var key = new StringBuilder().Append(request.Scheme).Append("://").Append(request.Host).Append(request.PathBase)
            .Append(' ').Append(action.AttributeRouteInfo?.Name ?? action.DisplayName);
        foreach (var parameter in Parameters.GetOrAdd(action, Declared))
        {
            var values = parameter.FromRoute
                ? new Microsoft.Extensions.Primitives.StringValues(request.RouteValues[parameter.Name] as string)
                : request.Query[parameter.Name];
            if (values.Count == 0)
                continue;
            var (value, error) = StrictValueBinder.Bind(parameter.Type, values);
            if (error is not null)
                return null;
            var text = Canonical(value);
            if (text is not null && text != parameter.Default)
                key.Append(' ').Append(parameter.Name).Append('=').Append(text);
        }

        return key.ToString();
    }

    private static Parameter[] Declared(ControllerActionDescriptor action) =>
        action.Parameters
            .Where(p => p.BindingInfo?.BindingSource == BindingSource.Query || p.BindingInfo?.BindingSource == BindingSource.Path)
            .Select(p =>
            {
                var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
                var documented = (p as ControllerParameterDescriptor)?.ParameterInfo.GetCustomAttribute<DocumentedDefaultAttribute>()?.Value;
                var normalisedDefault = documented is null
                    ? null
                    : Canonical(StrictValueBinder.Bind(type, Convert.ToString(documented, CultureInfo.InvariantCulture)).Value);
                return new Parameter(p.BindingInfo!.BinderModelName ?? p.Name, type, p.BindingInfo.BindingSource == BindingSource.Path, normalisedDefault);
            })
            .ToArray();

    /// <summary>One text per meaning: null for no value, lists without repeats and in order.</summary>
    private static string? Canonical(object? value) => value switch
    {
        null => null,
        DateTime instant => instant.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture),
        Array list => string.Join(',', list.Cast<object>().Select(item => Convert.ToString(item, CultureInfo.InvariantCulture)).Distinct().Order(StringComparer.Ordinal)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private sealed record Parameter(string Name, Type Type, bool FromRoute, string? Default);
}
