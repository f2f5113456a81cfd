using Orchestrator.Api;
using Orchestrator.Api.Authentication;
using Orchestrator.Api.Verbs;

// A verb (CommandLine.Usage) runs against the configured database and exits; no verb serves the API.
var (verb, verbArgs, hostArgs) = CommandLine.Split(args);

var builder = WebApplication.CreateBuilder(hostArgs);
builder.Services.AddOrchestratorApi(builder.Configuration);
var app = builder.Build();

if (verb is not null)
    return await VerbRunner.RunAsync(app, verb, verbArgs, Console.Out, Console.Error);

app.EnsureAuthenticationConfigured();
app.WarnWhenLinksFollowTheHostHeader();
await app.PrepareDatabaseAsync();
app.UseOrchestratorPipeline();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the functional tests' <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
