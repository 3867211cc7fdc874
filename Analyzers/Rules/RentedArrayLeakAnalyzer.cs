using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Folios.Analyzers.Pools;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO012: an ArrayPool array that reaches the end of the method on some normal path without Return and without its
/// ownership leaving; paths that leave by an exception only with <c>folios.pool_exception_paths = true</c>. Asked of
/// the shared ownership engine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RentedArrayLeakAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.RentedArrayNeverReturned, Descriptors.RentedArrayNotReturnedOnPath, Descriptors.RentedArrayNotReturnedOnException);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, PoolKinds.Of, PoolKinds.Rentals, static (block, pools) => Analyze(block, pools.Arrays));
    }

    private static void Analyze(RuleBlock context, PooledArrayKind arrays)
    {
        bool exceptionPaths = FoliosOptions.Read(context.Options, context.Root.Syntax.SyntaxTree).PoolExceptionPaths;
        foreach (var sites in OwnedResources.SitesOf(context, arrays, exceptionPaths: true, exceptionLeaksReported: exceptionPaths))
        {
            foreach (var dropped in sites.Discarded)
                Report(context, Descriptors.RentedArrayNeverReturned, dropped);
            foreach (var pair in sites.Tracked)
            {
                var flow = sites.FlowOf(pair.Key, context.CancellationToken);
                bool leaks = exceptionPaths ? flow.Leaks : flow.LeaksOnNormalPath;
                if (!leaks)
                    continue;
                var at = exceptionPaths ? flow.LeakAt : flow.NormalLeakAt;
                int line = at is null ? OwnedResources.EndLine(context.Root) : OwnedResources.LineOf(at);
                foreach (var source in pair.Value)
                {
                    if (exceptionPaths && flow.LeaksByExceptionOnly)
                        Report(context, Descriptors.RentedArrayNotReturnedOnException, source, line);
                    else if (!flow.EverReleased)
                        Report(context, Descriptors.RentedArrayNeverReturned, source);
                    else
                        Report(context, Descriptors.RentedArrayNotReturnedOnPath, source, line);
                }
            }
        }
    }

    /// <summary>Reported at the Rent call, naming the pool as the code does (<c>ArrayPool&lt;byte&gt;.Shared</c>, <c>_pool</c>).</summary>
    private static void Report(RuleBlock context, DiagnosticDescriptor descriptor, IInvocationOperation rent, params object[] more)
    {
        var arguments = new object[more.Length + 1];
        arguments[0] = rent.Instance?.Syntax.ToString() ?? rent.TargetMethod.ContainingType.Name;
        more.CopyTo(arguments, 1);
        context.ReportDiagnostic(Diagnostic.Create(descriptor, rent.Syntax.GetLocation(), arguments));
    }
}
