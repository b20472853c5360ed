using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace BatchVideo.Cli;

/// <summary>
/// The next-step commands we print, written so they can be pasted as they are: each carries the options
/// of the command that printed it (<c>--campaign</c>, <c>--config</c>, <c>--sandbox</c>) that the next
/// command takes too, so a sandbox run's "next" goes to the sandbox and a named campaign's to that campaign.
/// </summary>
internal static partial class NextCommand
{
    private static readonly string[] Carried = ["--campaign", "--config", "--sandbox"];

    // One process runs one command line: what it was given is the context of every step it prints.
    private static ParseResult? s_parsed;
    private static string[] s_args = [];

    /// <summary>Remembers the command line this process runs (once, at start).</summary>
    public static void Remember(ParseResult parsed, string[] args)
    {
        s_parsed = parsed;
        s_args = args;
    }

    /// <summary>
    /// <c>batchvideo {verb} {arguments}</c> plus the carried options the printing command was given and
    /// <paramref name="verb"/> accepts (and <paramref name="arguments"/> do not already name).
    /// </summary>
    public static string For(string verb, params string?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(verb);
        var words = new List<string> { "batchvideo", verb };
        words.AddRange(arguments.Where(a => a is not null).Select(a => Quote(a!)));
        if (s_parsed is { } parsed && Find(parsed.RootCommandResult.Command, verb.Split(' ')) is { } target)
        {
            foreach (var given in parsed.CommandResult.Children.OfType<OptionResult>())
            {
                var name = given.Option.Name;
                if (given.Implicit || !Carried.Contains(name) || arguments.Contains(name) || !target.Options.Any(o => o.Name == name))
                {
                    continue;
                }

                if (given.Option is Option<bool> flag)
                {
                    if (parsed.GetValue(flag))
                    {
                        words.Add(name);
                    }
                }
                else if (given.Tokens.Count == 1)
                {
                    words.Add(name);
                    words.Add(Quote(given.Tokens[0].Value));
                }
            }
        }

        return string.Join(' ', words);
    }

    /// <summary>This process's own command line without <paramref name="dropped"/> (each an option with one value).</summary>
    public static string Again(params string[] dropped)
    {
        var words = new List<string> { "batchvideo" };
        for (var i = 0; i < s_args.Length; i++)
        {
            var name = s_args[i].Split('=', ':')[0];
            if (dropped.Contains(name))
            {
                i += s_args[i].Length == name.Length ? 1 : 0;
                continue;
            }

            words.Add(Quote(s_args[i]));
        }

        return string.Join(' ', words);
    }

    /// <summary>A word as a POSIX shell reads it back: as is when safe, else in single quotes.</summary>
    internal static string Quote(string word) =>
        word.Length > 0 && SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static Command? Find(Command root, IEnumerable<string> path)
    {
        var command = root;
        foreach (var name in path)
        {
            command = command.Subcommands.FirstOrDefault(c => c.Name == name);
            if (command is null)
            {
                return null;
            }
        }

        return command;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./:@%+=,-]+$")]
    private static partial Regex SafeWord();
}
