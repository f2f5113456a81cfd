using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Primitives;
using Orchestrator.Application.Common.Json;
using Orchestrator.Domain.Common;

namespace Orchestrator.Api.ModelBinding;

/// <summary>
/// Binds query and route values exactly: integers as optional minus and digits only (no <c>1.5</c>,
/// <c>1e3</c>, <c>+1</c> or overflow), enums by their wire name only (no numbers, no other casing),
/// timestamps as ISO-8601. A value given empty or more than once is an error too, where MVC's own binders
/// would quietly take null or the first; only lists (arrays of enums) may be repeated or comma-separated. Errors land in model state for <c>OrchestratorErrorFilter</c>.
/// </summary>
public sealed class StrictValueBinder(Type type) : IModelBinder
{
    // One parse function per enum type, built once: binding runs on every request.
    private static readonly ConcurrentDictionary<Type, Func<string, (object?, string?)>> EnumParsers = new();

    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var values = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (values == ValueProviderResult.None)
            return Task.CompletedTask;

        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, values);
        var (value, error) = Bind(type, values.Values);
        if (error is null)
            bindingContext.Result = ModelBindingResult.Success(value);
        else
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, error);
        return Task.CompletedTask;
    }

    /// <summary>What binding makes of the values sent for one parameter of <paramref name="type"/>: its value, or the error.</summary>
    public static (object? Value, string? Error) Bind(Type type, StringValues values)
    {
        if (values.Count > 1 && !type.IsArray)
            return (null, "must be given once");
        if (type.IsArray)
            return BindList(values, type.GetElementType()!);

        var text = values[0] ?? "";
        if (type == typeof(string))
            return (text.Length == 0 ? null : text, null);
        return Parse(type, text);
    }

    // A list may come comma-separated (state=running,failed), repeated (state=running&state=failed), or both.
    private static (object?, string?) BindList(StringValues values, Type elementType)
    {
        var items = values.SelectMany(v => (v ?? "").Split(',')).ToArray();
        var list = Array.CreateInstance(elementType, items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            var (value, error) = Parse(elementType, items[i]);
            if (error is not null)
                return (null, $"items {error}");
            list.SetValue(value, i);
        }

        return (list, null);
    }

    public static (object? Value, string? Error) Parse(Type type, string text)
    {
        if (type == typeof(int))
            return ParseInteger(text, int.MaxValue, v => (int)v);
        if (type == typeof(long))
            return ParseInteger(text, long.MaxValue, v => v);
        if (type == typeof(DateTime))
            return IsoTimestamp.TryParse(text, out var instant)
                ? (instant, null)
                : (null, "must be an ISO-8601 timestamp such as 2016-05-20T16:45:31Z");
        if (type.IsEnum)
            return EnumParsers.GetOrAdd(type, EnumParser)(text);
        throw new NotSupportedException($"{type} is not bound strictly.");
    }

    private static (object?, string?) ParseInteger(string text, long max, Func<long, object> box)
    {
        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
            return (null, "must be an integer");
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value > max || value < -max)
            return (null, $"must be an integer no larger than {max.ToString(CultureInfo.InvariantCulture)}");
        return (box(value), null);
    }

    private static Func<string, (object?, string?)> EnumParser(Type type) =>
        (Func<string, (object?, string?)>)typeof(StrictValueBinder)
            .GetMethod(nameof(ParseWireName), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .CreateDelegate(typeof(Func<string, (object?, string?)>));

    private static (object?, string?) ParseWireName<TEnum>(string text)
        where TEnum : struct, Enum =>
        WireName<TEnum>.TryParse(text, out var value)
            ? (value, null)
            : (null, $"must be one of: {string.Join(", ", WireName<TEnum>.All)}");
}

/// <summary>Hands <see cref="StrictValueBinder"/> every query and route value of a simple type.</summary>
public sealed class StrictValueBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        var source = context.BindingInfo.BindingSource;
        if (source is null || !(source.CanAcceptDataFrom(BindingSource.Query) || source.CanAcceptDataFrom(BindingSource.Path)))
            return null;

        var type = Nullable.GetUnderlyingType(context.Metadata.ModelType) ?? context.Metadata.ModelType;
        if (type.IsArray && type.GetElementType()!.IsEnum)
            return new StrictValueBinder(type);
        return type == typeof(int) || type == typeof(long) || type == typeof(DateTime) || type == typeof(string) || type.IsEnum
            ? new StrictValueBinder(type)
            : null;
    }
}
