using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>One measured number, next to its goal; <see cref="Pass"/> is null when the figure has no goal.</summary>
internal sealed record Figure(string Scenario, string Name, double Value, string Unit, string Goal, bool? Pass, string Note = "")
{
    public static Figure AtLeast(string scenario, string name, double value, string unit, double goal, string note = "") =>
        new(scenario, name, value, unit, $">= {Format(goal)} {unit}", value >= goal, note);

    public static Figure AtMost(string scenario, string name, double value, string unit, double goal, string note = "") =>
        new(scenario, name, value, unit, $"<= {Format(goal)} {unit}", value <= goal, note);

    public static Figure Info(string scenario, string name, double value, string unit, string note = "") =>
        new(scenario, name, value, unit, "", null, note);

    /// <summary>A figure that could not be measured here, with the reason.</summary>
    public static Figure NotMeasured(string scenario, string name, string goal, string reason) =>
        new(scenario, name, double.NaN, "", goal, null, reason);

    public string Verdict => Pass switch { true => "pass", false => "MISS", null => double.IsNaN(Value) ? "n/a" : "" };

    public static string Format(double value) => double.IsNaN(value) ? "-"
        : Math.Abs(value) >= 100 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>Collects figures and prints them as a table and as JSON (on screen and to a file).</summary>
internal sealed class FigureTable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly List<Figure> figures = [];

    public IReadOnlyList<Figure> Figures => figures;

    public void Add(Figure figure)
    {
        figures.Add(figure);
        Console.WriteLine($"  {figure.Scenario} / {figure.Name}: {Figure.Format(figure.Value)} {figure.Unit} {figure.Goal} {figure.Verdict} {figure.Note}".TrimEnd());
    }

    public void AddRange(IEnumerable<Figure> more)
    {
        foreach (var figure in more)
        {
            Add(figure);
        }
    }

    public string ToTable()
    {
        string[] header = ["scenario", "figure", "value", "unit", "goal", "verdict", "note"];
        var rows = figures.Select(f => new[] { f.Scenario, f.Name, Figure.Format(f.Value), f.Unit, f.Goal, f.Verdict, f.Note }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var lines = new List<string>
        {
            "| " + string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))) + " |",
            "|" + string.Join("|", widths.Select((w, i) => i == 2 ? new string('-', w + 1) + ":" : new string('-', w + 2))) + "|",
        };
        lines.AddRange(rows.Select(r => "| " + string.Join(" | ", r.Select((c, i) => i == 2 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |"));
        return string.Join(Environment.NewLine, lines);
    }

    public string ToJson(Dictionary<string, string> context) =>
        JsonSerializer.Serialize(
            new
            {
                Context = context,
                Figures = figures.Select(f => new
                {
                    f.Scenario,
                    f.Name,
                    Value = double.IsNaN(f.Value) ? (double?)null : Math.Round(f.Value, 3),
                    f.Unit,
                    f.Goal,
                    f.Pass,
                    f.Note,
                }),
            },
            Json);
}
