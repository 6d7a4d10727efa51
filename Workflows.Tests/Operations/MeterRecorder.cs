using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Workflows.Host.Operations;

namespace Workflows.Tests.Operations;

/// <summary>
/// Records the <see cref="ProcesFlowMetrics.MeterName"/> measurements of one host: only meters created by that host's
/// <see cref="IMeterFactory"/>, so hosts of other tests running at the same time are not counted.
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> measurements = new();

    public MeterRecorder(IMeterFactory hostMeters)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ProcesFlowMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, hostMeters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        listener.Start();
    }

    /// <summary>The sum of what <paramref name="instrument"/> counted.</summary>
    public double Sum(string instrument) => measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);

    /// <summary>Every value <paramref name="instrument"/> recorded, in order.</summary>
    public List<double> Values(string instrument) => measurements.Where(m => m.Instrument == instrument).Select(m => m.Value).ToList();

    /// <summary>The tags of every measurement of <paramref name="instrument"/>.</summary>
    public List<KeyValuePair<string, object?>[]> Tags(string instrument) => measurements.Where(m => m.Instrument == instrument).Select(m => m.Tags).ToList();

    public void Dispose() => listener.Dispose();
}
