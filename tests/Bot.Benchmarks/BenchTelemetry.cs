using System.Diagnostics;
using Bot.Core.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Bot.Benchmarks;

/// <summary>
/// Metrics and tracing switched on in a scenario process as the host switches them on with OTLP (every <c>Bot.*</c>
/// meter and source, HttpClient spans, batch export), with exporters that drop what they get: the cost measured is
/// the bot's instruments, the SDK's aggregation and the export pipeline, not a collector's network.
/// </summary>
internal sealed class BenchTelemetry : IDisposable
{
    private readonly MeterProvider _meters;
    private readonly TracerProvider _tracer;

    private BenchTelemetry()
    {
        _meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter(CoreTelemetry.Prefix + "*")
            .AddReader(new PeriodicExportingMetricReader(new DroppingExporter<Metric>(), exportIntervalMilliseconds: 1000))
            .Build();
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(CoreTelemetry.Prefix + "*")
            .AddHttpClientInstrumentation()
            .AddProcessor(new BatchActivityExportProcessor(new DroppingExporter<Activity>()))
            .Build();
    }

    public static BenchTelemetry Start() => new();

    public void Dispose()
    {
        _tracer.Dispose();
        _meters.Dispose();
    }

    private sealed class DroppingExporter<T> : BaseExporter<T> where T : class
    {
        public override ExportResult Export(in Batch<T> batch)
        {
            foreach (var _ in batch)
            {
            }

            return ExportResult.Success;
        }
    }
}
