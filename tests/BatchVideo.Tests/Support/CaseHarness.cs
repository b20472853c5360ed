using System.Text.Json.Nodes;

namespace BatchVideo.Tests.Support;

/// <summary>A case of tests/BatchVideo.Tests/Cases (real CRM exports and templates) in a pipeline harness of its own.</summary>
public static class CaseHarness
{
    public static string Folder(string name) => Repository.File("tests", "BatchVideo.Tests", "Cases", name);

    /// <summary>Copies the case's inputs and templates beside a harness configuration that runs the case's campaign.</summary>
    public static async Task<PipelineHarness> StartAsync(string name, string config = "appsettings.json", Action<JsonObject>? change = null)
    {
        var harness = await PipelineHarness.StartAsync();
        foreach (var file in Directory.EnumerateFiles(Folder(name)).Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal)))
        {
            harness.Folder.WriteBytes(Path.GetFileName(file), File.ReadAllBytes(file));
        }

        var campaign = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(name), config)))!["Campaigns"]!["case"]!.DeepClone();
        harness.WriteConfig(c =>
        {
            c["Campaigns"]!["welcome"] = campaign;
            change?.Invoke(c);
        });
        return harness;
    }

    /// <summary>The bytes of one of the case's files.</summary>
    public static byte[] Bytes(string name, string file) => File.ReadAllBytes(Path.Combine(Folder(name), file));
}
