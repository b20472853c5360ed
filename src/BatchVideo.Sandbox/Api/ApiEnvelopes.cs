namespace BatchVideo.Sandbox.Api;

/// <summary>HeyGen v3 wraps every single-object answer in <c>{"data": ...}</c>.</summary>
internal sealed record DataEnvelope<T>(T Data);

/// <summary>v3 list answers: pagination fields sit beside <c>data</c>, not inside it.</summary>
internal sealed record ListPage<T>(IReadOnlyList<T> Data, bool HasMore, string? NextToken);

/// <summary>The v3 error envelope, <c>{"error": {...}}</c>.</summary>
internal sealed record ErrorEnvelope(ErrorBody Error);

/// <summary>
/// StandardAPIError. Real responses omit <c>param</c> when it does not apply, but always carry
/// <c>doc_url</c> (null here: the sandbox has no docs to link).
/// </summary>
internal sealed record ErrorBody(
    string Code,
    string Message,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string? Param,
    string? DocUrl);
