/**
 * GitHub responses of this thread, by status, for the metrics. The counting
 * fetch is set by the app's Octokit class (SkillproofOctokit), so it sees every
 * client Probot makes, webhook contexts' and jobs' alike; the app's metrics
 * (or a job thread, which forwards to the main thread's metrics) listen here.
 * One class serves every app of the thread, so listeners hear all of them.
 */
export type GitHubResponseListener = (status: string) => void;

const listeners = new Set<GitHubResponseListener>();

/** Calls `listener` with the status label of every GitHub response from now on; returns the unsubscribe function. */
export function onGitHubResponse(listener: GitHubResponseListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/**
 * A `fetch` that reports the status of every HTTP exchange with GitHub, or
 * "error" when no answer came (Octokit would call that a 500): each attempt, so a 403 or 429 the throttling or retry plugin retried (inside
 * Octokit's hooks) is counted too, and so are installation-token requests.
 * `inner` is looked up at call time, so test interceptors still see the call.
 */
export function countingFetch(inner?: typeof fetch): typeof fetch {
  // Probot builds some clients from another client's options: count once.
  if (inner && counting.has(inner)) return inner;
  const counted: typeof fetch = async (input, init) => {
    let res: Response;
    try {
      res = await (inner ?? globalThis.fetch)(input, init);
    } catch (err) {
      emit("error");
      throw err;
    }
    emit(String(res.status));
    return res;
  };
  counting.add(counted);
  return counted;
}

const counting = new WeakSet<typeof fetch>();

function emit(status: string): void {
  for (const listener of listeners) listener(status);
}
