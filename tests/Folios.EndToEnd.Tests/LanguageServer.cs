using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CliWrap;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace Folios.EndToEnd.Tests;

/// <summary>
/// A minimal LSP client over csharp-ls (the local dotnet tool): enough to open a document, edit it and read the
/// diagnostics the server pushes, the way an editor sees them.
/// </summary>
internal sealed class LanguageServer : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _server;
    private readonly JsonRpc _rpc;
    private readonly Editor _editor = new();

    public LanguageServer(string toolDirectory, string workspace)
    {
        var (ours, theirs) = FullDuplexStream.CreatePair();
        _server = DotNet.Command(toolDirectory, "tool", "run", "csharp-ls")
            .WithStandardInputPipe(PipeSource.FromStream(theirs))
            .WithStandardOutputPipe(PipeTarget.ToStream(theirs, autoFlush: true))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(_editor.Log))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_stop.Token);
        _rpc = new JsonRpc(new HeaderDelimitedMessageHandler(ours, new SystemTextJsonFormatter()));
        _rpc.AddLocalRpcTarget(_editor);
        _rpc.StartListening();
        Workspace = workspace;
    }

    public string Workspace { get; }

    /// <summary>The initialize handshake; the server must answer before it may be sent anything else.</summary>
    public async Task InitializeAsync(TimeSpan timeout)
    {
        string uri = new Uri(Workspace).AbsoluteUri;
        var initialize = new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = uri,
            ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = uri, ["name"] = "consumer" }),
            // csharp-ls reads its settings through workspace/configuration (answered by Editor) and runs no analyzers without them.
            ["capabilities"] = new JsonObject
            {
                ["textDocument"] = new JsonObject { ["publishDiagnostics"] = new JsonObject() },
                ["workspace"] = new JsonObject { ["configuration"] = true },
            },
            ["initializationOptions"] = new JsonObject { ["csharp"] = new JsonObject { ["analyzersEnabled"] = true } },
        };
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _rpc.InvokeWithParameterObjectAsync<JsonObject>("initialize", initialize, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"csharp-ls did not answer initialize within {timeout}. Server log:\n{_editor.Text}");
        }
        await _rpc.NotifyWithParameterObjectAsync("initialized", new JsonObject());
    }

    public Task OpenAsync(string path, string text) => _rpc.NotifyWithParameterObjectAsync("textDocument/didOpen", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = new Uri(path).AbsoluteUri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
    });

    public Task ChangeAsync(string path, int version, string text) => _rpc.NotifyWithParameterObjectAsync("textDocument/didChange", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = new Uri(path).AbsoluteUri, ["version"] = version },
        ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
    });

    /// <summary>The next diagnostics pushed for <paramref name="path"/> that satisfy <paramref name="wanted"/>.</summary>
    public async Task<JsonArray> WaitForDiagnosticsAsync(string path, Func<JsonArray, bool> wanted, TimeSpan timeout)
    {
        string uri = new Uri(path).AbsoluteUri;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var published = await _editor.Diagnostics.Reader.ReadAsync(deadline.Token);
                if (published["uri"]?.GetValue<string>() == uri && published["diagnostics"] is JsonArray diagnostics && wanted(diagnostics))
                    return diagnostics;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"csharp-ls sent no matching diagnostics for {path} within {timeout}. Server log:\n{_editor.Text}");
        }
    }

    public void Dispose()
    {
        _rpc.Dispose();
        _stop.Cancel(); // kills the server's process tree
        try
        {
            _server.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    /// <summary>The editor's side: what the server asks of it and tells it.</summary>
    private sealed class Editor
    {
        private readonly StringBuilder _log = new();

        public Channel<JsonObject> Diagnostics { get; } = Channel.CreateUnbounded<JsonObject>();

        /// <summary>Everything the server wrote to stderr or logged, for failure messages.</summary>
        public string Text
        {
            get
            {
                lock (_log)
                    return _log.ToString();
            }
        }

        public void Log(string line)
        {
            lock (_log)
                _log.AppendLine(line);
        }

        [JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
        public void PublishDiagnostics(JsonObject parameters) => Diagnostics.Writer.TryWrite(parameters);

        [JsonRpcMethod("window/logMessage", UseSingleObjectParameterDeserialization = true)]
        public void LogMessage(JsonObject parameters) => Log(parameters["message"]?.GetValue<string>() ?? "");

        /// <summary>The csharp section of the settings turns analyzers on; other sections are unset.</summary>
        [JsonRpcMethod("workspace/configuration", UseSingleObjectParameterDeserialization = true)]
        public JsonArray Configuration(JsonObject parameters)
        {
            var result = new JsonArray();
            foreach (var item in parameters["items"] as JsonArray ?? [])
                result.Add(item?["section"]?.GetValue<string>() == "csharp" ? new JsonObject { ["analyzersEnabled"] = true } : null);
            return result;
        }

        [JsonRpcMethod("client/registerCapability", UseSingleObjectParameterDeserialization = true)]
        public void RegisterCapability(JsonObject parameters)
        {
        }

        [JsonRpcMethod("window/workDoneProgress/create", UseSingleObjectParameterDeserialization = true)]
        public void CreateProgress(JsonObject parameters)
        {
        }
    }
}
