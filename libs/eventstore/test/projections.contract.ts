/**
 * The projection store's contract (durable read models' state): every adapter passes it.
 */
import type { ProjectionStore } from '@workshare/eventsourcing';

const at = (commit: number, prepare: number) => ({ commit: BigInt(commit), prepare: BigInt(prepare) });

export const projectionStoreContract = (label: string, open: () => Promise<ProjectionStore>): void => {
  describe(`projection store contract: ${label}`, () => {
    let store: ProjectionStore;
    let n = 0;
    let name: string;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => store?.close());
    beforeEach(() => {
      name = `p${++n}-${Date.now().toString(36)}`;
    });

    it('loads a projection it has never seen as empty, at no position, generation 1, with the code version given', async () => {
      const { checkpoint, documents } = await store.load(name, 3);
      expect(checkpoint).toMatchObject({ position: undefined, generation: 1, codeVersion: 3 });
      expect(documents).toEqual([]);
    });

    it('commits documents and the checkpoint together, and loads them back as they were', async () => {
      await store.load(name, 1);
      const doc = { 名前: '藤里 花子', nested: { list: [1, 'two', null, true] }, emoji: '🌱' };
      expect(
        await store.commit(name, {
          generation: 1,
          position: at(10, 4),
          documents: [
            { collection: 'a', key: 'member-1', version: 2, doc },
            { collection: 'b', key: 'member-1', version: 0, doc: [] },
          ],
        }),
      ).toBe('committed');
      const { checkpoint, documents } = await store.load(name, 1);
      expect(checkpoint.position).toEqual(at(10, 4));
      expect(checkpoint.updatedAt).toBeInstanceOf(Date);
      expect(documents.sort((x, y) => x.collection.localeCompare(y.collection))).toEqual([
        { collection: 'a', key: 'member-1', version: 2, doc },
        { collection: 'b', key: 'member-1', version: 0, doc: [] },
      ]);
    });

    it('never moves a document back in version, nor the checkpoint back in the log', async () => {
      await store.load(name, 1);
      await store.commit(name, {
        generation: 1,
        position: at(20, 9),
        documents: [{ collection: 'a', key: 'k', version: 5, doc: { v: 5 } }],
      });
      await store.commit(name, {
        generation: 1,
        position: at(20, 3),
        documents: [{ collection: 'a', key: 'k', version: 4, doc: { v: 4 } }],
      });
      let loaded = await store.load(name, 1);
      expect(loaded.checkpoint.position).toEqual(at(20, 9));
      expect(loaded.documents).toEqual([{ collection: 'a', key: 'k', version: 5, doc: { v: 5 } }]);
      await store.commit(name, {
        generation: 1,
        position: at(21, 1),
        documents: [{ collection: 'a', key: 'k', version: 5, doc: { v: 'again' } }],
      });
      loaded = await store.load(name, 1);
      expect(loaded.checkpoint.position).toEqual(at(21, 1));
      expect(loaded.documents[0]?.doc).toEqual({ v: 'again' });
    });

    it('keeps the checkpoint when a commit gives no position', async () => {
      await store.load(name, 1);
      await store.commit(name, { generation: 1, position: at(5, 5), documents: [] });
      await store.commit(name, { generation: 1, documents: [{ collection: 'a', key: 'x', version: 0, doc: 1 }] });
      const loaded = await store.load(name, 1);
      expect(loaded.checkpoint.position).toEqual(at(5, 5));
      expect(loaded.documents).toHaveLength(1);
    });

    it('a reset empties the projection and starts a new generation; a commit of the old one writes nothing', async () => {
      await store.load(name, 1);
      await store.commit(name, {
        generation: 1,
        position: at(7, 7),
        documents: [{ collection: 'a', key: 'k', version: 0, doc: {} }],
      });
      const fresh = await store.reset(name, 2);
      expect(fresh).toMatchObject({ position: undefined, generation: 2, codeVersion: 2 });
      expect(
        await store.commit(name, {
          generation: 1,
          position: at(9, 9),
          documents: [{ collection: 'a', key: 'old', version: 0, doc: {} }],
        }),
      ).toBe('stale');
      const loaded = await store.load(name, 2);
      expect(loaded.checkpoint).toMatchObject({ position: undefined, generation: 2, codeVersion: 2 });
      expect(loaded.documents).toEqual([]);
    });

    it('commits thousands of documents at once', async () => {
      await store.load(name, 1);
      const documents = Array.from({ length: 2_500 }, (_, i) => ({
        collection: 'many',
        key: `s-${i}`,
        version: i,
        doc: { i, text: `「${i}」` },
      }));
      await store.commit(name, { generation: 1, position: at(99, 99), documents });
      const loaded = await store.load(name, 1);
      expect(loaded.documents).toHaveLength(2_500);
      expect(loaded.documents.find((d) => d.key === 's-2499')).toEqual(documents[2499]);
    });

    it('lists every projection with its checkpoint', async () => {
      await store.load(name, 4);
      await store.commit(name, { generation: 1, position: at(3, 2), documents: [] });
      const all = await store.checkpoints();
      expect(all.get(name)).toMatchObject({ position: at(3, 2), generation: 1, codeVersion: 4 });
    });
  });
};
