using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Authentication;
using Orchestrator.Api.Dashboard;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Http;
using Orchestrator.Api.Links;
using Orchestrator.Api.ModelBinding;
using Orchestrator.Api.OpenApi;
using Orchestrator.Application;
using Orchestrator.Application.Common.Behaviours;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Api;

public static class DependencyInjection
{
    public static IServiceCollection AddOrchestratorApi(
        this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddControllers(options =>
            {
                options.Filters.Add<OrchestratorErrorFilter>();
                options.ModelBinderProviders.Insert(0, new StrictValueBinderProvider());
            })
            .AddJsonOptions(options => OrchestratorJson.Configure(options.JsonSerializerOptions))
            // One path to a 400: the error filter, never [ApiController]'s automatic ProblemDetails.
            .ConfigureApiBehaviorOptions(options => options.SuppressModelStateInvalidFilter = true);

        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(Application.DependencyInjection)];
            options.PipelineBehaviors = [typeof(ValidationBehaviour<,>)];
        });

        services.AddApplication();
        services.AddInfrastructure(configuration);
        services.AddSingleton(sp => new VersionedCache<CachedDocument>(
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.DocumentCacheMb * 1024L * 1024L));

        services.Configure<PagingOptions>(configuration.GetSection(PagingOptions.Section));
        services.Configure<PublicUrlOptions>(configuration.GetSection(PagingOptions.Section));
        services.AddHttpContextAccessor();
        services.AddScoped<IJobLinks, RequestJobLinks>();
        services.AddSingleton(TimeProvider.System);

        services.AddOrchestratorAuth(configuration);
        services.AddOrchestratorRateLimiting(configuration);
        services.AddOrchestratorHealthChecks();
        services.AddOptions<RequestLimitsOptions>().Bind(configuration.GetSection(RequestLimitsOptions.Section));
        services.AddOptions<SearchLimitOptions>().Bind(configuration.GetSection(RequestLimitsOptions.Section));
        services.AddSingleton<SearchLimiter>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>(
            (kestrel, limits) => RequestLimitsMiddleware.ConfigureKestrel(kestrel, limits.Value));
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        services.AddOrchestratorCors(configuration);
        // Behind a trusted proxy: scheme, host, path base and client address from X-Forwarded-* (links use them).
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.All;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
        });
        services.AddOrchestratorOpenApi();
        services.AddOrchestratorDashboard(configuration);
        return services;
    }
}
