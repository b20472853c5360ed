using System.CommandLine;
using System.CommandLine.Parsing;

namespace BatchVideo.Cli;

/// <summary>
/// The parser's complaints as sentences an operator acts on: "--verbosity does not take 'loud': use quiet,
/// normal or detailed." rather than System.CommandLine's "Cannot parse argument 'loud' for option
/// '--verbosity' as expected type 'BatchVideo.Cli.Verbosity'", which names a .NET type.
/// </summary>
internal static class UsageErrors
{
    public static string Sentence(ParseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.SymbolResult is not OptionResult { Option: { } option } result || !error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
        {
            return error.Message;
        }

        var given = string.Join(' ', result.Tokens.Select(t => t.Value));
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return $"{option.Name} does not take '{given}': {Expected(type)}.";
    }

    private static string Expected(Type type) => type switch
    {
        _ when type.IsEnum => "use " + Or(Enum.GetNames(type).Select(n => n.ToLowerInvariant()).ToList()),
        _ when type == typeof(int) || type == typeof(long) => "give a whole number",
        _ when type == typeof(double) || type == typeof(decimal) => "give a number, like 2.5",
        _ when type == typeof(bool) => "give true or false, or leave the value out",
        _ when type == typeof(TimeSpan) => "give a duration written hh:mm:ss",
        _ => "see 'batchvideo --help'",
    };

    private static string Or(List<string> names) => names.Count switch
    {
        0 => "",
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
    };

    /// <summary>The root's help, for a bare <c>batchvideo</c>: what it can do rather than "Required command was not provided".</summary>
    public static Task<int> ShowHelpAsync(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root.Parse(["--help"]).InvokeAsync();
    }
}
