using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Folios.EndToEnd.Tests;

/// <summary>
/// A minimal LSP client over csharp-ls (the local dotnet tool): enough to open a document, edit it and read the
/// diagnostics the server pushes, the way an editor sees them.
/// </summary>
internal sealed class LanguageServer : IDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Channel<JsonObject> _notifications = Channel.CreateUnbounded<JsonObject>();
    private readonly StringBuilder _log = new();
    private int _nextId;

    public LanguageServer(string toolDirectory, string workspace)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = toolDirectory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "tool", "run", "csharp-ls" })
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        _process = Process.Start(start)!;
        _input = _process.StandardInput.BaseStream;
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _ = Task.Run(ReadMessagesAsync);
        Workspace = workspace;
    }

    public string Workspace { get; }

    /// <summary>Everything the server wrote to stderr or logged, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>The initialize handshake; the server must answer before it may be sent anything else.</summary>
    public async Task InitializeAsync(TimeSpan timeout)
    {
        string uri = new Uri(Workspace).AbsoluteUri;
        int id = Interlocked.Increment(ref _nextId);
        Send(new JsonObject
        {
            ["id"] = id,
            ["method"] = "initialize",
            ["params"] = new JsonObject
            {
                ["processId"] = Environment.ProcessId,
                ["rootUri"] = uri,
                ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = uri, ["name"] = "consumer" }),
                // csharp-ls reads its settings through workspace/configuration (answered below) and runs no analyzers without them.
                ["capabilities"] = new JsonObject
                {
                    ["textDocument"] = new JsonObject { ["publishDiagnostics"] = new JsonObject() },
                    ["workspace"] = new JsonObject { ["configuration"] = true },
                },
                ["initializationOptions"] = new JsonObject { ["csharp"] = new JsonObject { ["analyzersEnabled"] = true } },
            },
        });
        await WaitForAsync(m => m["id"]?.GetValue<int>() == id && m["result"] is not null, timeout, "an answer to initialize");
        Send(new JsonObject { ["method"] = "initialized", ["params"] = new JsonObject() });
    }

    public void Open(string path, string text) => Send(new JsonObject
    {
        ["method"] = "textDocument/didOpen",
        ["params"] = new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = new Uri(path).AbsoluteUri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text } },
    });

    public void Change(string path, int version, string text) => Send(new JsonObject
    {
        ["method"] = "textDocument/didChange",
        ["params"] = new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = new Uri(path).AbsoluteUri, ["version"] = version },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        },
    });

    /// <summary>The next diagnostics pushed for <paramref name="path"/> that satisfy <paramref name="wanted"/>.</summary>
    public async Task<JsonArray> WaitForDiagnosticsAsync(string path, Func<JsonArray, bool> wanted, TimeSpan timeout)
    {
        string uri = new Uri(path).AbsoluteUri;
        var message = await WaitForAsync(
            m => m["method"]?.GetValue<string>() == "textDocument/publishDiagnostics"
                 && m["params"]?["uri"]?.GetValue<string>() == uri
                 && m["params"]!["diagnostics"] is JsonArray diagnostics && wanted(diagnostics),
            timeout, $"matching diagnostics for {path}");
        return (JsonArray)message["params"]!["diagnostics"]!;
    }

    private async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> wanted, TimeSpan timeout, string what)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _notifications.Reader.ReadAsync(cancellation.Token);
                if (wanted(message))
                    return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"csharp-ls sent no {what} within {timeout}. Server log:\n{Log}");
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        _process.Dispose();
    }

    private void Send(JsonObject message)
    {
        message["jsonrpc"] = "2.0";
        byte[] body = Encoding.UTF8.GetBytes(message.ToJsonString());
        lock (_input)
        {
            _input.Write(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
            _input.Write(body);
            _input.Flush();
        }
    }

    private async Task ReadMessagesAsync()
    {
        var output = _process.StandardOutput.BaseStream;
        try
        {
            while (await ReadMessageAsync(output) is { } message)
            {
                if (message["method"]?.GetValue<string>() == "window/logMessage")
                {
                    lock (_log)
                        _log.AppendLine(message["params"]?["message"]?.GetValue<string>());
                }
                else if (message["id"] is { } id && message["method"]?.GetValue<string>() is { } method)
                {
                    Send(new JsonObject { ["id"] = id.DeepClone(), ["result"] = Answer(method, message["params"]) });
                }
                else
                {
                    await _notifications.Writer.WriteAsync(message);
                }
            }
        }
        finally
        {
            _notifications.Writer.TryComplete();
        }
    }

    /// <summary>The editor's side of server requests: the csharp section of the settings, nothing for the rest.</summary>
    private static JsonNode? Answer(string method, JsonNode? parameters)
    {
        if (method != "workspace/configuration" || parameters?["items"] is not JsonArray items)
            return null;
        var result = new JsonArray();
        foreach (var item in items)
            result.Add(item?["section"]?.GetValue<string>() == "csharp" ? new JsonObject { ["analyzersEnabled"] = true } : null);
        return result;
    }

    private static async Task<JsonObject?> ReadMessageAsync(Stream stream)
    {
        int length = -1;
        while (true)
        {
            string? header = await ReadLineAsync(stream);
            if (header is null)
                return null;
            if (header.Length == 0)
                break;
            if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                length = int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        byte[] body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<string?> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            if (one[0] == '\n')
                return line.ToString().TrimEnd('\r');
            line.Append((char)one[0]);
        }
    }
}
