using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Orchestrator.Api.Dashboard;

/// <summary>History routing: a path without a file extension answers index.html. The files need no credentials.</summary>
internal static class DashboardEndpoints
{
    public const string Route = "/dashboard";

    public static IServiceCollection AddOrchestratorDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section));
        return services.AddSingleton<DashboardFiles>();
    }

    public static WebApplication MapOrchestratorDashboard(this WebApplication app)
    {
        // Routing ignores a trailing slash: /dashboard/ lands here too, and is the app's start page.
        app.MapGet(Route, (HttpContext context, DashboardFiles files) => context.Request.Path.Value!.EndsWith('/')
                ? files.Serve(context, "")
                : files.Enabled ? Results.Redirect($"{context.Request.PathBase}{Route}/{context.Request.QueryString}") : Results.NotFound())
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet(Route + "/{**path}", (HttpContext context, DashboardFiles files, string? path) => files.Serve(context, path ?? ""))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

internal sealed class DashboardFiles
{
    private const string Index = "index.html";
    private const string BaseTag = "<base href=\"/dashboard/\">";
    private const string ApiMeta = "<meta name=\"orchestrator-api\" content=\"\">";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly DashboardOptions _options;
    private readonly string _root;
    private readonly PhysicalFileProvider? _files;
    private readonly string _connectSources;

    public DashboardFiles(IOptions<DashboardOptions> options, IWebHostEnvironment environment)
    {
        _options = options.Value;
        _root = string.IsNullOrWhiteSpace(_options.Path)
            ? System.IO.Path.Combine(AppContext.BaseDirectory, "dashboard")
            : System.IO.Path.GetFullPath(_options.Path, environment.ContentRootPath);
        _files = Directory.Exists(_root) ? new PhysicalFileProvider(_root) : null;
        _connectSources = Uri.TryCreate(_options.ApiBaseUrl, UriKind.Absolute, out var api)
            ? $"'self' {api.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
    }

    public bool Enabled => _options.Enabled;

    public IResult Serve(HttpContext context, string path)
    {
        if (!_options.Enabled)
            return Results.NotFound();

        var index = _files?.GetFileInfo(Index);
        if (index is null || !index.Exists)
            return NotBuilt(context);

        // A last segment with an extension names a file (app.js); anything else is a route of the app.
        var lastSegment = path[(path.LastIndexOf('/') + 1)..];
        if (!lastSegment.Contains('.', StringComparison.Ordinal))
            return IndexPage(context, index);

        var file = _files!.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null)
            return Results.NotFound();
        if (!ContentTypes.TryGetContentType(file.Name, out var contentType))
            contentType = "application/octet-stream";
        Secure(context);
        var modified = file.LastModified;
        var tag = new EntityTagHeaderValue($"\"{modified.UtcTicks:x}-{file.Length:x}\"");
        return Results.File(file.PhysicalPath, contentType, lastModified: modified, entityTag: tag);
    }

    private IResult IndexPage(HttpContext context, IFileInfo index)
    {
        using var reader = new StreamReader(index.CreateReadStream(), Encoding.UTF8);
        var html = reader.ReadToEnd()
            .Replace(BaseTag, $"<base href=\"{HtmlEncoder.Default.Encode($"{context.Request.PathBase}{DashboardEndpoints.Route}/")}\">", StringComparison.Ordinal)
            .Replace(ApiMeta, $"<meta name=\"orchestrator-api\" content=\"{HtmlEncoder.Default.Encode(_options.ApiBaseUrl ?? "")}\">", StringComparison.Ordinal);
        Secure(context);
        return Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    private IResult NotBuilt(HttpContext context)
    {
        Secure(context);
        var folder = WebUtility.HtmlEncode(_root);
        var swagger = WebUtility.HtmlEncode($"{context.Request.PathBase}/swagger");
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Dashboard not built</title></head>
            <body><main>
            <h1>The dashboard has not been built</h1>
            <p>No built dashboard was found in <code>{folder}</code>.</p>
            <p>Install Node.js 20 or later so that it is on <code>PATH</code>, then build the API again
            (<code>dotnet build src/Orchestrator.Api</code> or <code>dotnet run --project src/Orchestrator.Api</code>): the build runs
            <code>npm ci</code> and <code>npm run build</code> in <code>src/Orchestrator.Dashboard</code>. See docs/dashboard.md.</p>
            <p>The API itself works without it: <a href="{swagger}">Swagger UI</a>.</p>
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);
    }

    // Revalidated on every load (ETag), so a new build is picked up at once.
    private void Secure(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src {_connectSources}; " +
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        headers.CacheControl = "no-cache";
    }
}
