using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Workflows.Benchmarks;

/// <summary>One line of the printed table: a figure, what was measured, the target and whether it was met.</summary>
public sealed record ResultRow(string Figure, string Measure, string Value, string Target, bool? Met);

/// <summary>Everything a run measured: numeric keys for the JSON file, rows for the table, notes on what was not measured.</summary>
public sealed class Results
{
    private readonly Dictionary<string, object> values = [];
    private readonly List<ResultRow> rows = [];
    private readonly List<string> notes = [];

    public void Set(string key, double value) => values[key] = Math.Round(value, 3);

    public void Set(string key, string value) => values[key] = value;

    public double Get(string key) => values.TryGetValue(key, out var v) && v is double d ? d : double.NaN;

    public void Row(string figure, string measure, string value, string target = "", bool? met = null) =>
        rows.Add(new ResultRow(figure, measure, value, target, met));

    public void Note(string note) => notes.Add(note);

    public string Table()
    {
        var header = new ResultRow("Figure", "Measure", "Value", "Target", null);
        var all = rows.Prepend(header).ToList();
        int w1 = all.Max(r => r.Figure.Length), w2 = all.Max(r => r.Measure.Length), w3 = all.Max(r => r.Value.Length), w4 = all.Max(r => r.Target.Length);
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var met = row == header ? "Met" : row.Met switch { true => "yes", false => "NO", null => "" };
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Figure.PadRight(w1)} | {row.Measure.PadRight(w2)} | {row.Value.PadLeft(w3)} | {row.Target.PadRight(w4)} | {met,-3} |");
            if (row == header)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"|{new string('-', w1 + 2)}|{new string('-', w2 + 2)}|{new string('-', w3 + 1)}:|{new string('-', w4 + 2)}|-----|");
            }
        }
        foreach (var note in notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }
        return text.ToString();
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Json() => JsonSerializer.Serialize(new SortedDictionary<string, object>(values.Append(new("notes", notes)).ToDictionary()), Indented);

    public static string F(double value, int decimals = 1) =>
        double.IsNaN(value) ? "n/a" : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
