using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Folios.Analyzers.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO014: a <c>ReadResult.Buffer</c>, or anything taken from it, used where <c>AdvanceTo</c> on its reader may
/// already have run. Asked of the shared ownership engine, where a pipe read is a kind of resource. After an advance
/// that consumed nothing (<c>AdvanceTo(result.Buffer.Start, result.Buffer.End)</c>) only with <c>folios.pipe_unconsumed_advance = true</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReadBufferAfterAdvanceAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The name of the buffer or view used after the advance, for the fix.</summary>
    public const string SubjectProperty = "Subject";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ReadBufferUsedAfterAdvance, Descriptors.ReadViewUsedAfterAdvance);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, PipelineKinds.Of, PipelineKinds.Reads, static (block, reads) =>
        {
            bool? unconsumedAdvance = null; // read when a latent finding asks
            foreach (var sites in OwnedResources.SitesOf(block, reads, exceptionPaths: false, exceptionLeaksReported: false))
            {
                foreach (var local in sites.Tracked.Keys)
                {
                    // One mistake, one diagnostic: the code goes on using the read after advancing it. Reported at the
                    // first use, with the others as additional locations.
                    var uses = sites.FlowOf(local, block.CancellationToken).Misuses
                        .Where(finding => finding.Value.Kind is OwnershipFlow.Misuse.UsedAfterRelease or OwnershipFlow.Misuse.ViewOutlivesResource
                            && (!finding.Value.Latent || (unconsumedAdvance ??= FoliosOptions.Read(block.Options, block.Root.Syntax.SyntaxTree).PipeUnconsumedAdvance)))
                        .OrderBy(finding => finding.Key.Syntax.SpanStart)
                        .ToList();
                    if (uses.Count == 0)
                        continue;
                    var first = uses[0];
                    string subject = first.Key is ILocalReferenceOperation view ? view.Local.Name : local.Name;
                    block.ReportDiagnostic(Diagnostic.Create(
                        first.Value.Kind == OwnershipFlow.Misuse.ViewOutlivesResource ? Descriptors.ReadViewUsedAfterAdvance : Descriptors.ReadBufferUsedAfterAdvance,
                        first.Key.Syntax.GetLocation(), uses.Skip(1).Select(finding => finding.Key.Syntax.GetLocation()),
                        ImmutableDictionary<string, string?>.Empty.Add(SubjectProperty, subject), subject));
                }
            }
        });
    }
}
