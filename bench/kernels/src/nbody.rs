//! The classic 5-body simulation (Jovian planets), in f64.

/// Square root by Newton iterations on the inverse square root (float arithmetic only: stable
/// `no_std` Rust has no `f64.sqrt` intrinsic, and libm's software sqrt would make this an
/// integer benchmark).
fn sqrt(x: f64) -> f64 {
    let mut y = f64::from_bits(0x5fe6_eb50_c7b5_37a9 - (x.to_bits() >> 1));
    for _ in 0..4 {
        y *= 1.5 - 0.5 * x * y * y;
    }
    x * y
}

const PI: f64 = core::f64::consts::PI;
const SOLAR_MASS: f64 = 4.0 * PI * PI;
const DAYS_PER_YEAR: f64 = 365.24;

#[derive(Clone, Copy)]
struct Body {
    pos: [f64; 3],
    vel: [f64; 3],
    mass: f64,
}

fn bodies() -> [Body; 5] {
    let b = |p: [f64; 3], v: [f64; 3], m: f64| Body {
        pos: p,
        vel: [v[0] * DAYS_PER_YEAR, v[1] * DAYS_PER_YEAR, v[2] * DAYS_PER_YEAR],
        mass: m * SOLAR_MASS,
    };
    [
        b([0.0; 3], [0.0; 3], 1.0),
        b(
            [4.841_431_442_464_72, -1.160_320_044_027_428_4, -0.103_622_044_471_123_1],
            [1.660_076_642_744_037e-3, 7.699_011_184_197_404e-3, -6.904_600_169_720_63e-5],
            9.547_919_384_243_266e-4,
        ),
        b(
            [8.343_366_718_244_58, 4.124_798_564_124_305, -0.403_523_417_114_321_4],
            [-2.767_425_107_268_624e-3, 4.998_528_012_349_172e-3, 2.304_172_975_737_639_3e-5],
            2.858_859_806_661_308e-4,
        ),
        b(
            [12.894_369_562_139_131, -15.111_151_401_698_631, -0.223_307_578_892_655_73],
            [2.964_601_375_647_616e-3, 2.378_471_739_594_809_5e-3, -2.965_895_685_402_375_6e-5],
            4.366_244_043_351_563e-5,
        ),
        b(
            [15.379_697_114_850_917, -25.919_314_609_987_964, 0.179_258_772_950_371_18],
            [2.680_677_724_903_893_2e-3, 1.628_241_700_382_423e-3, -9.515_922_545_197_159e-5],
            5.151_389_020_466_114_5e-5,
        ),
    ]
}

fn advance(bodies: &mut [Body; 5], dt: f64) {
    for i in 0..5 {
        for j in i + 1..5 {
            let d = [
                bodies[i].pos[0] - bodies[j].pos[0],
                bodies[i].pos[1] - bodies[j].pos[1],
                bodies[i].pos[2] - bodies[j].pos[2],
            ];
            let d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            let mag = dt / (d2 * sqrt(d2));
            let (mi, mj) = (bodies[i].mass, bodies[j].mass);
            for k in 0..3 {
                bodies[i].vel[k] -= d[k] * mj * mag;
                bodies[j].vel[k] += d[k] * mi * mag;
            }
        }
    }
    for b in bodies.iter_mut() {
        for k in 0..3 {
            b.pos[k] += dt * b.vel[k];
        }
    }
}

fn energy(bodies: &[Body; 5]) -> f64 {
    let mut e = 0.0;
    for i in 0..5 {
        let b = &bodies[i];
        e += 0.5 * b.mass * (b.vel[0] * b.vel[0] + b.vel[1] * b.vel[1] + b.vel[2] * b.vel[2]);
        for c in &bodies[i + 1..] {
            let d = [b.pos[0] - c.pos[0], b.pos[1] - c.pos[1], b.pos[2] - c.pos[2]];
            e -= b.mass * c.mass / sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        }
    }
    e
}

pub(crate) fn run(steps: u32) -> f64 {
    let mut b = bodies();
    let mut p = [0.0; 3];
    for x in &b {
        for k in 0..3 {
            p[k] += x.vel[k] * x.mass;
        }
    }
    for k in 0..3 {
        b[0].vel[k] = -p[k] / SOLAR_MASS;
    }
    for _ in 0..steps {
        advance(&mut b, 0.01);
    }
    energy(&b)
}
