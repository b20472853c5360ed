using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Sandbox.Api;

/// <summary>
/// What the sandbox does with a body field that no schema names, where the schema allows it: by default
/// it is accepted, counted and logged once per name (an API that ignores unknown fields behaves so, and
/// other tools can be tried against the sandbox); with <see cref="SandboxOptions.RefuseFieldsInNoSchema"/>
/// it is refused, to catch a client's typo.
/// </summary>
internal sealed class FieldsInNoSchema(SandboxOptions options, SandboxStats stats, ILogger logger)
{
    private readonly ConcurrentDictionary<string, byte> _logged = new(StringComparer.Ordinal);

    /// <summary>Null to go on; the refusal when the switch says so.</summary>
    public ApiError? Check(IReadOnlyList<string> fields)
    {
        if (fields.Count == 0)
            return null;
        if (options.RefuseFieldsInNoSchema)
            return ApiError.InvalidParameter(
                $"Unknown field '{fields[0]}'. The sandbox is set to refuse fields in no schema (Sandbox:RefuseFieldsInNoSchema).", fields[0]);
        foreach (var field in fields)
        {
            stats.CountFieldInNoSchema(field);
            if (_logged.TryAdd(field, 0))
                logger.LogWarning("Create body: field {Field} is in no schema (or, under variables, names no variable of the template); accepted and ignored (counted from now on)", field);
        }

        return null;
    }
}
