using System.Net;
using Bot.Core.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bot.Host.Telemetry;

/// <summary>
/// Metrics and traces by configuration: the Prometheus scrape endpoint (<c>Telemetry:Prometheus</c>) and OTLP
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). With neither, no provider is registered and the instruments stay silent.
/// </summary>
internal static class TelemetryRegistration
{
    public const string MetricsPath = "/metrics";

    /// <summary>Registers the exporters that are configured, and the management address as an extra listening address.</summary>
    public static WebApplicationBuilder AddBotTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!options.Prometheus && !otlp)
            return builder;

        var management = options.ManagementUris();
        if (options.Prometheus && management.Count > 0)
            builder.WebHost.UseUrls([.. MainUrls(configuration), .. management.Select(u => u.GetLeftPart(UriPartial.Authority))]);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "openai-chat-bot"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CoreTelemetry.Prefix + "*");
                if (options.Prometheus)
                    metrics.AddPrometheusExporter();
                if (otlp)
                    metrics.AddOtlpExporter();
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(CoreTelemetry.Prefix + "*")
                .AddHttpClientInstrumentation()
                .AddProcessor(new UrlRedactingProcessor())
                .AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>Serves <c>/metrics</c> on the management address only (or to loopback callers when none is set); 404 elsewhere.</summary>
    public static WebApplication UseBotMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!options.Prometheus)
            return app;
        var ports = options.ManagementUris().Select(u => u.Port).ToHashSet();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == MetricsPath && IsManagement(context.Connection, ports));
        return app;
    }

    internal static bool IsManagement(ConnectionInfo connection, IReadOnlySet<int> managementPorts) =>
        managementPorts.Count > 0
            ? managementPorts.Contains(connection.LocalPort)
            : connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);

    // The addresses the host would listen on without the management address: --urls / ASPNETCORE_URLS, else
    // ASPNETCORE_HTTP_PORTS (the container images set 8080), else ASP.NET Core's default.
    private static IEnumerable<string> MainUrls(IConfiguration configuration)
    {
        if (TelemetryOptions.Split(configuration[WebHostDefaults.ServerUrlsKey]).ToList() is { Count: > 0 } urls)
            return urls;
        if (TelemetryOptions.Split(configuration[WebHostDefaults.HttpPortsKey]).ToList() is { Count: > 0 } ports)
            return ports.Select(p => $"http://*:{p}");
        return ["http://localhost:5000"];
    }
}
