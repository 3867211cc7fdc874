using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Folios.Analyzers.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO015: a pipe read (<c>ReadAsync</c>, <c>ReadAtLeastAsync</c>, a <c>TryRead</c> that returned true) with a path to
/// the next read from the same reader, or out of the method, without <c>AdvanceTo</c> (or the reader's
/// <c>Complete</c>), unless the result goes to the caller or is stored. Paths that leave by an exception are not
/// followed: a reader whose processing throws is completed with the exception, which needs no advance. Nor are paths
/// that leave with a final read (canceled or completed), unless <c>folios.pipe_final_reads = true</c>: whoever ends
/// the reader's use completes it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReadNotAdvancedAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ReadNeverAdvanced, Descriptors.ReadNotAdvancedOnPath);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, PipelineKinds.Of, PipelineKinds.Reads, static (block, reads) =>
        {
            bool? finalReads = null; // read when a final read asks
            foreach (var sites in OwnedResources.SitesOf(block, reads, exceptionPaths: false, exceptionLeaksReported: false))
            {
                foreach (var dropped in sites.Discarded)
                    Report(block, Descriptors.ReadNeverAdvanced, dropped);
                foreach (var pair in sites.Tracked)
                {
                    var flow = sites.FlowOf(pair.Key, block.CancellationToken);
                    bool leavesFinal = flow.LeavesGivenUp && (finalReads ??= FoliosOptions.Read(block.Options, block.Root.Syntax.SyntaxTree).PipeFinalReads);
                    if (!flow.LeaksOnNormalPath && !leavesFinal)
                        continue;
                    var leakAt = flow.LeaksOnNormalPath ? flow.NormalLeakAt : flow.GivenUpLeakAt;
                    int line = leakAt is { } at ? OwnedResources.LineOf(at) : OwnedResources.EndLine(block.Root);
                    foreach (var read in pair.Value)
                    {
                        if (flow.EverReleased)
                            Report(block, Descriptors.ReadNotAdvancedOnPath, read, line);
                        else
                            Report(block, Descriptors.ReadNeverAdvanced, read);
                    }
                }
            }
        });
    }

    /// <summary>Reported at the read, naming the reader as the code does.</summary>
    private static void Report(RuleBlock context, DiagnosticDescriptor descriptor, IInvocationOperation read, params object[] more)
    {
        var arguments = new object[more.Length + 1];
        arguments[0] = read.Instance?.Syntax.ToString() ?? read.TargetMethod.ContainingType.Name;
        more.CopyTo(arguments, 1);
        context.ReportDiagnostic(Diagnostic.Create(descriptor, read.Syntax.GetLocation(), arguments));
    }
}
